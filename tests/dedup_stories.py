"""Hand-written news stories and their copies, for the dedup tests (all fictional).

Each story is a tuple of paragraphs. The helpers make the variants the syndication
stage must handle: a truncated copy, an edited copy with an editor's note, a reordered
copy, a recurring templated story with other names and figures, a follow-up that reuses
a story's lead as background.
"""

from __future__ import annotations

TRAM = (
    "Harbourside city council approved a new tram line on Tuesday that will link the "
    "northern suburbs of Ellerby and Moss Vale with the central railway station by 2029.",
    "The 14-kilometre line, which is expected to cost 620 million pounds, passed by 31 votes "
    "to 9 after a debate that lasted almost six hours and drew hundreds of residents to the "
    "public gallery.",
    "Council leader Margaret Okonjo said the decision was the most important the authority "
    "had taken in a generation. \"For too long people in the north of the city have been cut "
    "off from jobs, colleges and hospitals,\" she told the chamber.",
    "Opponents argued that the money would be better spent on buses and on repairing roads. "
    "Councillor Derek Pryce, who led the campaign against the scheme, warned that costs on "
    "similar projects elsewhere had doubled before the first passenger was carried.",
    "Construction is due to begin next spring, starting with a new bridge over the River "
    "Lune at Carrow Point. Engineers expect the bridge alone to take eighteen months.",
    "The transport authority said trams would run every six minutes at peak times and that "
    "a single fare would cost the same as a bus ticket, at 2 pounds 40 pence.",
    "Local businesses along Ellerby Road have asked for compensation for the disruption, and "
    "the council said a support fund of 4 million pounds would open in January.",
    "A public inquiry into the compulsory purchase of 42 homes along the route will be held "
    "in the autumn, the council confirmed.",
)

MATCH = (
    "Carrow Rovers came from two goals down to beat Wexley Athletic 3-2 at Pennant Park on "
    "Saturday and move within a point of the top of the second division.",
    "Athletic had led through a header from Sam Oduya after eleven minutes and a penalty by "
    "Luis Ferreira just before half-time, and the visiting supporters were in full voice.",
    "Rovers manager Ingrid Holm made two changes at the interval, bringing on the teenage "
    "winger Callum Reid and the veteran striker Tomasz Wilk, and the game turned within "
    "minutes.",
    "Reid set up Wilk for a tap-in in the 52nd minute and then scored himself with a curling "
    "shot from the edge of the area on the hour.",
    "The winner came four minutes from time when the Athletic goalkeeper Ben Marsh could only "
    "parry a free kick from Adam Kerr into the path of the captain, Joe Fenwick.",
    "\"I told the players at half-time that nobody would remember the first half if we won "
    "the second,\" Holm said afterwards. \"They were magnificent.\"",
    "Athletic remain eighth and have now lost three of their last four league matches.",
)

EARNINGS = (
    "Norvale Foods reported a 12 percent rise in first-half profit on Thursday as higher "
    "prices for its frozen meals offset a fall in the number of products it sold.",
    "Pre-tax profit for the six months to June rose to 184 million pounds from 164 million a "
    "year earlier, on revenue of 2.1 billion pounds, the company said in a statement.",
    "Chief executive Priya Anand said shoppers were trading down from restaurant meals to "
    "ready meals at home, which had helped the group's premium brands in particular.",
    "The company raised its interim dividend by 5 percent to 8.4 pence a share and said it "
    "expected full-year results to be in line with market expectations.",
    "Shares in Norvale rose 6 percent in early trading in London, making them the biggest "
    "risers in the FTSE 250 index.",
    "Analysts at Brennan Securities said the results were better than feared but warned "
    "that the cost of energy for the group's factories in Lincoln and Dundee remained high.",
)

# Same sentences, every name and figure changed: a different company's results.
EARNINGS_TEMPLATE = (
    "Castell Brewing reported a 7 percent rise in first-half profit on Wednesday as higher "
    "prices for its bottled ales offset a fall in the number of products it sold.",
    "Pre-tax profit for the six months to March rose to 61 million pounds from 57 million a "
    "year earlier, on revenue of 0.9 billion pounds, the company said in a statement.",
    "Chief executive Tom Aldridge said shoppers were trading down from pub visits to "
    "drinking at home, which had helped the group's craft brands in particular.",
    "The company raised its interim dividend by 3 percent to 2.9 pence a share and said it "
    "expected full-year results to be in line with market expectations.",
    "Shares in Castell rose 2 percent in early trading in Edinburgh, making them the biggest "
    "risers in the AIM index.",
    "Analysts at Holloway Partners said the results were better than feared but warned "
    "that the cost of energy for the group's breweries in Cardiff and Perth remained high.",
)

# Same council, other decision: shares the entities, not the story.
TRAM_HARD_NEGATIVE = (
    "Harbourside city council voted on Thursday to close three of its public libraries in "
    "Ellerby, Moss Vale and Carrow Point to save 3 million pounds a year.",
    "Council leader Margaret Okonjo said the authority had no choice after its grant from "
    "central government was cut for the fourth year running.",
    "Councillor Derek Pryce called the closures a betrayal of families who could not afford "
    "to buy books, and said his group would ask for a judicial review.",
    "The libraries will shut at the end of March. Their collections will be moved to the "
    "central library near the railway station, which will open for longer hours.",
    "A petition against the closures was signed by more than 11,000 people in a month.",
)

# A later story that reuses the tram story's first two paragraphs as background.
TRAM_FOLLOW_UP = (
    "Contractors bidding to build Harbourside's new tram line have been told to submit "
    "their final prices by the end of next month, the city's transport authority said.",
    "Four consortiums are on the shortlist, including a joint venture between Marlow "
    "Construction and the Dutch engineering group Van Rijn, which built trams in Utrecht.",
    "The authority said it would name the winner in December and that the contract would "
    "include the maintenance of the trams for 25 years.",
    "Residents in Moss Vale have formed an action group to oppose the location of the new "
    "depot, which they say will bring noise and traffic to a quiet residential street.",
    "The transport authority said it would hold two public meetings in Moss Vale before "
    "choosing a site for the depot.",
    *TRAM[:2],
)

UNRELATED = (
    "A rare white stork has been seen nesting on a church tower in the village of Little "
    "Brampton for the first time in more than two centuries, bird watchers said.",
    "The pair arrived in early April and have been sitting on eggs for three weeks, "
    "according to volunteers who have set up a camera on a neighbouring roof.",
    "Storks were once common in the area but disappeared after their wetland feeding grounds "
    "were drained for farming in the eighteenth century.",
    "A reintroduction project on a nearby estate has released more than 100 birds over the "
    "past five years, and conservationists hope that some are now breeding in the wild.",
    "Visitors have been asked to watch from the churchyard gate so as not to disturb the "
    "birds while the eggs are hatching.",
)


def truncated(story: tuple[str, ...], keep: int, teaser: str | None = None) -> tuple[str, ...]:
    """The first ``keep`` paragraphs, and optionally a "read the full story" teaser."""
    return story[:keep] + ((teaser,) if teaser else ())


def edited(story: tuple[str, ...]) -> tuple[str, ...]:
    """An editor's note on top, two words changed, typographic quotes and dashes."""
    note = ("Editor's note: an earlier version of this article gave the wrong date for the "
            "vote. It has been corrected.")
    body = [p.replace('"', "\u201c", 1).replace('"', "\u201d", 1).replace(" - ", " \u2014 ")
            for p in story]
    body[1] = body[1].replace("after", "following", 1)
    body[-1] = body[-1].replace("the", "this", 1)
    return (note, *body)


def reordered(story: tuple[str, ...]) -> tuple[str, ...]:
    """The middle paragraphs swapped pairwise, first and last in place."""
    middle = list(story[1:-1])
    for index in range(0, len(middle) - 1, 2):
        middle[index], middle[index + 1] = middle[index + 1], middle[index]
    return (story[0], *middle, story[-1])


# Stories in scripts written without spaces or with vowel signs (fictional, written for
# these tests): a copy edits a character or a word in every paragraph, as a syndicating
# desk does when it converts figures, names the day otherwise or trims a clause.
TRAM_ZH = (
    "港湾市议会周二批准修建一条新的有轨电车线路，将北部的埃勒比和莫斯谷两个郊区与中央火车站连接起来，"
    "预计二〇二九年建成通车。",
    "这条全长十四公里的线路预计耗资六亿两千万英镑，议会在长达近六个小时的辩论后以三十一票对九票通过，"
    "数百名居民到场旁听。",
    "议会领袖玛格丽特·奥孔乔表示，这是该机构一代人以来作出的最重要的决定。她说，城北居民长期以来"
    "难以前往工作地点、学校和医院。",
    "反对者认为，这笔钱更应该用于公共汽车和修路。领导反对运动的议员德里克·普赖斯警告说，其他地方的"
    "类似项目在运送第一名乘客之前成本就已经翻了一番。",
    "工程定于明年春天开工，首先在卡罗角的卢恩河上修建一座新桥。工程师预计仅这座桥就需要十八个月。",
    "交通管理部门说，高峰时段每六分钟发一班车，单程票价与公共汽车票相同，为二英镑四十便士。",
)

TRAM_ZH_COPY = (
    "港湾市议会星期二批准修建一条新的有轨电车线路，将北部的埃勒比和莫斯谷两个郊区与中央火车站连接，"
    "预计2029年建成通车。",
    "这条全长14公里的线路预计耗资6.2亿英镑，议会在长达近六个小时的辩论后以三十一票对九票通过，"
    "数百名居民到场旁听。",
    "议会领袖奥孔乔表示，这是该机构一代人以来作出的最重要决定。她说，城北居民长期以来"
    "难以前往工作地点、学校和医院。",
    "反对者认为，这笔钱更应该用在公共汽车和修路上。领导反对运动的议员普赖斯警告，其他地方的"
    "类似项目在运送第一名乘客之前成本就已经翻了一番。",
    "工程定于明年春季开工，首先在卡罗角的卢恩河上修建一座新桥。工程师预计仅这座桥就需要18个月。",
    "交通部门说，高峰时段每六分钟发一班车，单程票价与公共汽车票相同，为2英镑40便士。",
)

# Another story on the same subject in the same words: a different vote, a bus lane.
BUS_ZH = (
    "港湾市议会周四否决了一项在埃勒比路修建公交专用道的计划，该计划原定连接北部郊区与市中心，"
    "预计耗资四千万英镑。",
    "议员们在约两个小时的辩论后以二十二票对十八票否决了该计划，许多沿线商户对此表示欢迎。",
    "交通委员会主席表示，委员会将在明年夏天之前提出新的方案，并会首先征求居民和商户的意见。",
    "支持者说，公交专用道能让高峰时段的车程缩短一半，而否决意味着北部居民还要多等好几年。",
    "市政府此前已为该项目的设计工作花费了三百万英镑，这笔钱将无法收回。",
    "一名商户代表说，修路会让埃勒比路的生意受到严重影响，大家更希望改善现有的公交服务。",
)

# The tram story in Thai: spaces stand between phrases, not between words.
TRAM_TH = (
    "สภาเมืองท่าเรืออนุมัติเส้นทางรถรางสายใหม่เมื่อวันอังคาร ซึ่งจะเชื่อมชานเมืองทางเหนือกับสถานีรถไฟกลาง "
    "คาดว่าจะเปิดให้บริการได้ในปี 2572 และมีค่าใช้จ่ายราวหกร้อยยี่สิบล้านปอนด์ ตามการประเมินของหน่วยงานขนส่งของเมือง",
    "สมาชิกสภาลงมติเห็นชอบสามสิบเอ็ดเสียงต่อเก้าเสียง หลังการอภิปรายที่ยาวนานเกือบหกชั่วโมง "
    "มีประชาชนหลายร้อยคนเดินทางมาฟังการประชุมในห้องประชุมใหญ่ของศาลาว่าการ และหลายคนถือป้ายสนับสนุนโครงการ",
    "ผู้นำสภากล่าวว่าการตัดสินใจครั้งนี้สำคัญที่สุดในรอบหนึ่งชั่วอายุคน เพราะผู้คนในเขตทางเหนือของเมืองถูกตัดขาดจากแหล่งงาน "
    "วิทยาลัย และโรงพยาบาลมานานเกินไป ขณะที่ฝ่ายค้านเห็นว่าควรนำเงินไปพัฒนารถโดยสารประจำทางแทน",
    "การก่อสร้างมีกำหนดเริ่มในฤดูใบไม้ผลิปีหน้า โดยเริ่มจากสะพานแห่งใหม่ข้ามแม่น้ำที่แหลมคาร์โรว์ "
    "วิศวกรคาดว่าสะพานเพียงแห่งเดียวจะใช้เวลาก่อสร้างประมาณสิบแปดเดือน ก่อนจะวางรางในช่วงถัดไป",
)
# Headlines of other stories, in Thai, for a box of teasers.
HEADLINES_TH = (
    "สภาปฏิเสธแผนช่องทางเดินรถโดยสารบนถนนเอลเลอร์บี",
    "ร้านเบเกอรี่ครอบครัวคว้ารางวัลขนมปังระดับประเทศ",
    "เทศกาลดนตรีกลับมาที่ท่าเรือเก่าอีกครั้งในรอบห้าปี",
    "การนัดหยุดงานที่ท่าเรือยุติลงหลังตกลงเรื่องค่าจ้าง",
    "คำเตือนอากาศร้อนทั่วชายฝั่งในสุดสัปดาห์นี้",
    "สะพานท่าเรือเปิดให้รถโดยสารใช้ในเดือนกันยายน",
)
