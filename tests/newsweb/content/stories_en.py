"""Hand-written English stories on the prisoner-exchange theme (fiction; people are invented)."""

from __future__ import annotations

from newsweb.content.story import Story

__all__ = ["STORIES_EN"]

_ISTANBUL = Story(
    key="istanbul-agreement",
    title="Ukraine and Russia agree to swap 1,000 prisoners each after third round of Istanbul talks",
    lead="Negotiators left Istanbul with a deal on prisoners and little else, officials on both sides said.",
    authors=("Daria Hnatiuk",),
    tags=("Prisoner exchange", "Peace talks", "Turkey"),
    paragraphs=(
        "Ukrainian and Russian delegations agreed on Wednesday to exchange 1,000 prisoners of war each in stages over the coming weeks, the only concrete result of a third round of direct talks hosted by Turkish officials in Istanbul.",
        "The meeting in a former Ottoman palace on the Bosphorus lasted a little under two hours, according to a member of the Ukrainian delegation who asked not to be named because the talks were closed to the press.",
        "Kyiv's chief negotiator, security council secretary Oleh Marchuk, told reporters after the session that the first group would include seriously wounded soldiers and those younger than 25, categories both sides had accepted in May.",
        "## Lists handed over in advance",
        "For the first time, the two sides agreed to exchange the names of the people to be released before the transfer rather than on the day itself, Marchuk said, a change that relatives of captured soldiers have demanded for months.",
        "\"We asked for the lists early because families deserve to know,\" he said. \"Every name that is confirmed is a family that can stop guessing.\"",
        "The Russian delegation, led by presidential aide Gennady Voronin, said Moscow was also ready to return the remains of about 3,000 soldiers and proposed a short ceasefire along parts of the front so that medics could collect the wounded.",
        "Ukraine did not answer the ceasefire proposal directly. Marchuk said any pause in the fighting had to be general and monitored, not limited to a few hours chosen by one side.",
        "Since the full-scale invasion began in February 2022, Ukraine has brought home more than 5,000 people through exchanges, according to the Coordination Headquarters for the Treatment of Prisoners of War.",
        "A spokesperson for the Turkish foreign ministry said Ankara was ready to host a fourth round but that no date had been set.",
    ),
)

_POSTPONED = Story(
    key="postponed-dispute",
    title="Kyiv denies Russian claim that it postponed the weekend prisoner exchange",
    authors=("Serhii Lozovy", "Anna Brenner"),
    tags=("Prisoner exchange", "Russia", "Defence ministry"),
    paragraphs=(
        "Ukraine's defence ministry on Saturday rejected a statement from Moscow that Kyiv had unexpectedly put off an exchange of prisoners and the repatriation of soldiers' bodies planned for this weekend.",
        "Gennady Voronin, who leads Russia's negotiating team, wrote on social media that a Russian military convoy had waited at the border since the morning and that the Ukrainian side had failed to appear.",
        "The ministry called the claim an attempt to rewrite what had been agreed in Istanbul. \"No date for the transfer of bodies was ever set, and the lists Russia handed over do not match the categories both sides signed,\" it said in a statement.",
        "According to Ukraine's Coordination Headquarters, the Russian lists included people who had already been exchanged, civilians never held as prisoners of war, and dozens of names that could not be matched to any record.",
        "\"We are ready to carry out the exchange as soon as the lists reflect the agreement,\" the headquarters said, adding that it had asked the International Committee of the Red Cross to help check the names.",
        "Families of missing soldiers gathered outside the headquarters' office in Kyiv on Saturday afternoon, holding photographs of relatives who have been held for more than two years.",
        "Analysts said the dispute followed a familiar pattern in which each side blames the other for delays while preparations quietly continue through mediators.",
    ),
    revised=(
        "Ukraine's defence ministry on Saturday rejected a statement from Moscow that Kyiv had unexpectedly put off an exchange of prisoners and the repatriation of soldiers' bodies planned for this weekend.",
        "Gennady Voronin, who leads Russia's negotiating team, wrote on social media that a Russian military convoy had waited at the border since the morning and that the Ukrainian side had failed to appear.",
        "The ministry called the claim an attempt to rewrite what had been agreed in Istanbul. \"No date for the transfer of bodies was ever set, and the lists Russia handed over do not match the categories both sides signed,\" it said in a statement.",
        "According to Ukraine's Coordination Headquarters, the Russian lists included people who had already been exchanged, civilians never held as prisoners of war, and dozens of names that could not be matched to any record.",
        "\"We are ready to carry out the exchange as soon as the lists reflect the agreement,\" the headquarters said, adding that it had asked the International Committee of the Red Cross to help check the names.",
        "Families of missing soldiers gathered outside the headquarters' office in Kyiv on Saturday afternoon, holding photographs of relatives who have been held for more than two years.",
        "Update: Late on Sunday the Coordination Headquarters said the first stage of the exchange had taken place after all, and that 307 Ukrainian soldiers were back on home soil. Russia said it had received the same number of its servicemen.",
    ),
)

_SECOND_GROUP = Story(
    key="second-group",
    title="Moscow and Kyiv complete second stage of prisoner swap, defence ministry says",
    lead="A second group of soldiers has been handed over under the Istanbul agreement, according to the defence ministry in Moscow.",
    authors=("Steppe Wire staff",),
    tags=("Prisoner exchange", "Belarus"),
    paragraphs=(
        "A second group of Russian servicemen has returned from Ukrainian captivity under the exchange agreed in Istanbul last week, the Russian defence ministry said in a statement on Tuesday.",
        "The ministry released footage of the soldiers stepping off buses near the Belarusian border, some wrapped in flags, but did not say how many had been freed. An equal number of Ukrainian prisoners were handed over to Kyiv, it said.",
        "The returning servicemen were taken to hospitals in Belarus for medical and psychological checks before being flown to military facilities in Russia for rehabilitation, the statement added.",
        "In Kyiv, officials confirmed the exchange and described it as the second stage of a transfer focused on the severely wounded and on soldiers under 25.",
        "Neither side has published a timetable for the remaining stages. Mediators from the United Arab Emirates, who have helped to broker earlier swaps, were involved again, according to a source familiar with the process.",
        "The talks in Istanbul also produced an agreement to return the bodies of soldiers killed in action. Moscow said it had prepared more than 6,000 bodies for transfer, a figure Kyiv has not confirmed.",
        "Russian officials accused Kyiv of delaying the transfer of bodies; Ukrainian officials said a date had never been agreed and accused Moscow of turning a humanitarian matter into propaganda.",
    ),
)

_REMAINS = Story(
    key="remains-returned",
    title="Remains of 1,212 soldiers returned to Ukraine at border crossing",
    lead="Forensic teams face months of identification work, officials warned.",
    authors=("Steppe Wire staff",),
    tags=("Prisoner exchange", "Repatriation"),
    paragraphs=(
        "The remains of 1,212 soldiers were handed over to Ukraine on Wednesday at a crossing point on the border with Belarus, officials in Kyiv and Moscow said.",
        "Refrigerated lorries carrying the bodies arrived at the crossing in the early morning. Ukrainian forensic teams will now begin the work of identification, which officials warned could take many months.",
        "Only a small share of the remains returned in earlier transfers had been identified by name on arrival, Ukraine's interior ministry said, and DNA samples from relatives would be needed in most cases.",
        "Relatives who believe a family member may be among the dead were asked to contact regional police offices to give samples. The ministry said it would publish a hotline number later in the day.",
        "Russia said it had received the bodies of 27 of its own soldiers in return. The imbalance reflects where the fighting has taken place, according to military analysts.",
        "The transfer was part of the humanitarian package agreed at the talks in Istanbul, which also covered exchanges of prisoners of war in several stages.",
    ),
)

_PETITION = Story(
    key="families-petition",
    title="Captured soldiers' families petition for inclusion in the next exchange",
    authors=("MENA Feed",),
    tags=("Prisoner exchange", "Petition"),
    paragraphs=(
        "Families of Ukrainian soldiers held in Russia have sent a joint petition to Kyiv asking that their relatives be included in the next exchange, arguing that the current approach leaves thousands waiting with no timeline.",
        "The petition, signed by more than 2,400 people, says that choosing small groups by category each month is unfair to prisoners who do not fit any of the agreed categories.",
        "\"My son has been in captivity for 26 months. He is not wounded and he is not under 25, so he is never on a list,\" said one signatory, a schoolteacher from the Zaporizhzhia region.",
        "Officials at the Coordination Headquarters said they understood the families' frustration but that the categories were the only basis on which Moscow had agreed to proceed.",
        "Rights groups say prisoners on both sides face poor conditions, and United Nations monitors have reported that returning Ukrainian soldiers frequently describe beatings and a lack of medical care.",
        "Moscow has said it does not sort prisoners by category and has accused Kyiv of slowing the process, a claim Ukrainian officials reject.",
    ),
)

_NEGOTIATOR = Story(
    key="negotiator-claims",
    title="Moscow's negotiator says Kyiv is refusing to take back 1,000 prisoners",
    lead="Ukrainian officials dismissed the claim as propaganda recorded in captivity.",
    authors=("Steppe Wire staff",),
    tags=("Prisoner exchange", "Negotiations"),
    paragraphs=(
        "Russia's chief negotiator Gennady Voronin said on Wednesday that Kyiv was refusing to accept the return of about 1,000 of its soldiers held in Russia, a claim Ukrainian officials dismissed as propaganda.",
        "Voronin made the statement after a Russian state broadcaster launched a website that it said collects video messages from captured Ukrainian soldiers who feel forgotten by their government.",
        "\"A thousand men are ready to go home and the other side is not taking them,\" Voronin wrote. He said the delay was the reason a third stage of the exchange had not yet happened.",
        "Voronin said Russia had proposed a further exchange of at least 1,200 prisoners from each side at the last round of talks in Istanbul, and that Moscow did not sort prisoners into categories.",
        "Ukraine's Coordination Headquarters said the men in the videos had been recorded in captivity and could not speak freely, and that publishing such material breached the Geneva Conventions.",
        "The exchange of accusations came on the day a United States envoy met officials in Moscow, a meeting both sides later described as constructive.",
    ),
)

_RED_CROSS = Story(
    key="red-cross-access",
    title="Red Cross says it has visited only a fraction of the prisoners held by Russia",
    authors=("Olha Tkachenko",),
    tags=("Prisoner exchange", "Red Cross", "Human rights"),
    paragraphs=(
        "The International Committee of the Red Cross has been able to visit only a small fraction of the Ukrainian prisoners of war held in Russia, the head of its delegation in Kyiv said on Monday.",
        "Speaking at a briefing, the delegation head, Marta Lindqvist, said the organisation had registered thousands of prisoners on both sides but that access to places of detention remained limited and irregular.",
        "\"Access is not a favour. It is an obligation under the Geneva Conventions, and it applies to every person held,\" Lindqvist said.",
        "## Letters and parcels",
        "The committee has delivered more than 11,000 letters between prisoners and their families since 2022, she said, and continues to press for the release of the seriously ill regardless of any exchange.",
        "Ukrainian officials have repeatedly criticised the organisation for failing to secure regular visits. Lindqvist said the criticism was understood but that the committee's work depended on discreet dialogue with both sides.",
        "She declined to comment on conditions in specific facilities, saying the committee shared its findings only with the authorities responsible.",
    ),
)

_DRAFT = Story(
    key="draft-ceasefire-text",
    title="Draft: what the proposed 48-hour ceasefire would cover",
    authors=("Kyiv Daily",),
    tags=("Peace talks",),
    paragraphs=(
        "This is an embargoed draft prepared for publication once the negotiating teams release the text of the proposed humanitarian pause.",
        "The pause would last 48 hours along sections of the front line still to be named, so that medical teams from both sides could recover the wounded and the dead without coming under fire.",
        "Monitoring would fall to a small group of observers whose composition has not been agreed, and either side could end the pause early if the other violated it.",
    ),
)

_CHILDREN = Story(
    key="children-returned",
    title="Eleven children taken to Russia reunited with families in Kyiv",
    authors=("Iryna Bilyk",),
    tags=("Children", "Humanitarian"),
    paragraphs=(
        "Eleven Ukrainian children who had been taken to Russia from occupied areas were reunited with their families in Kyiv on Thursday after months of mediation, a presidential adviser said.",
        "The youngest is six. Several of the children had been placed in Russian foster families or state institutions, and at least two had been given new documents, according to the adviser, Lesia Vorobei.",
        "The return was negotiated with help from Qatar, which has mediated a series of small reunifications since last year. Officials did not say whether anything was offered in return.",
        "Rights groups estimate that many thousands of Ukrainian children have been moved to Russia or to occupied territory since 2022. Moscow says it evacuated them for their own safety.",
        "Vorobei said each case had to be proven individually, often with birth certificates, photographs and testimony from neighbours, before Russian officials would agree to a handover.",
    ),
)

#: Every English story, by key.
STORIES_EN = {
    story.key: story
    for story in (
        _ISTANBUL, _POSTPONED, _SECOND_GROUP, _REMAINS, _PETITION, _NEGOTIATOR,
        _RED_CROSS, _DRAFT, _CHILDREN,
    )
}
