"""Chrome that survives as text: teasers, share bars, appeals, credits, timers, as line rules."""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsdedup.pipeline.extract.dates import CLOCK_WORD, MONTH_NAMES

__all__ = [
    "ERROR_NOTICE", "FRAME_RULES", "LINE_RULES", "SOFT_404", "LineRule", "chrome_rule", "frame_rule",
    "is_related_heading", "is_tag_label", "top_level_alternatives",
]


@dataclass(frozen=True, slots=True)
class LineRule:
    """A paragraph matching ``pattern`` and at most ``max_chars`` long is chrome of kind
    ``name``. Patterns are written lower-case and matched against the lower-cased
    paragraph. The length bound keeps prose that merely mentions the words."""

    name: str
    pattern: re.Pattern[str]
    max_chars: int
    # ``pattern`` in parts that find the same lines faster. CPython's engine scans a
    # search position by position, trying every alternative at each, unless all the
    # alternatives begin with a character it can look for first; a ``^`` or ``\b``
    # at the front of any alternative rules that out for the whole pattern. So:
    # ``anchored``, the top-level ``^`` alternatives, tried at position 0 only;
    # ``word_start``, the ``\b`` ones without it, searched quickly, each hit confirmed
    # by ``word_exact`` (the same alternatives as written) at that position; and
    # ``floating``, the rest, searched as written.
    anchored: re.Pattern[str] | None = None
    floating: re.Pattern[str] | None = None
    word_start: re.Pattern[str] | None = None
    word_exact: re.Pattern[str] | None = None

    def search(self, lowered: str) -> bool:
        """Whether the (lower-cased) line matches ``pattern``."""
        if self.anchored is not None and self.anchored.match(lowered):
            return True
        if self.word_start is not None and self.word_exact is not None:
            # Every position the exact alternatives match at, the fast ones match at
            # too: visiting the fast hits left to right misses none.
            hit = self.word_start.search(lowered)
            while hit is not None:
                if self.word_exact.match(lowered, hit.start()):
                    return True
                hit = self.word_start.search(lowered, hit.start() + 1)
        return self.floating is not None and self.floating.search(lowered) is not None


def top_level_alternatives(pattern: str) -> list[str]:
    """``pattern`` cut at its top-level ``|`` (not inside a group or a class)."""
    parts: list[str] = []
    depth = 0
    in_class = False
    start = index = 0
    while index < len(pattern):
        character = pattern[index]
        if character == "\\":
            index += 2
            continue
        if in_class:
            in_class = character != "]"
        elif character == "[":
            in_class = True
            # A "]" right after "[" or "[^" is a member of the class, not its end.
            if pattern[index + 1:index + 2] == "^":
                index += 1
            if pattern[index + 1:index + 2] == "]":
                index += 1
        elif character == "(":
            depth += 1
        elif character == ")":
            depth -= 1
        elif character == "|" and depth == 0:
            parts.append(pattern[start:index])
            start = index + 1
        index += 1
    parts.append(pattern[start:])
    return parts


def _rule(name: str, pattern: str, max_chars: int) -> LineRule:
    # Matching lower-cased text with a case-sensitive pattern is several times faster
    # than re.IGNORECASE in CPython's engine.
    alternatives = top_level_alternatives(pattern)
    anchored = [part[1:] for part in alternatives if part.startswith("^")]
    words = [part for part in alternatives if part.startswith("\\b")]
    floating = [part for part in alternatives if not part.startswith(("^", "\\b"))]

    def either(parts: list[str]) -> re.Pattern[str] | None:
        return re.compile("|".join(f"(?:{part})" for part in parts)) if parts else None

    return LineRule(
        name,
        re.compile(pattern),
        max_chars,
        anchored=either(anchored),
        floating=either(floating),
        word_start=either([part[2:] for part in words]),
        word_exact=either(words),
    )


_RELATED = (
    r"^[^\w\s]{0,3}\s*(?:(?:read|see|watch|listen)(?: also| more| next)?\s*[:>»|]|(?:read|see) also\b|"
    r"(?:read|see|watch) more\s*$|more (?:news|articles|stories) (?:from|on|about)\b|"
    r"more (?:on|from|about) (?:this|the)\b.{0,60}$|related(?: (?:articles?|stories|coverage|content|"
    r"topics?|posts?|news|reading|videos?))?\s*:?$|recommended(?: for you| videos?| stories| reading)?\s*:?$|"
    r"most (?:popular|read|viewed|shared)\b|more stories\b|also (?:read|on)\b|trending(?: now)?\s*:?$|"
    r"you (?:may|might) also (?:be interested(?: in)?|like|enjoy)\s*(?::|$)|must read\s*:|(?:can )?also read\s*:|"
    r"other posts\s*:?$|related (?:articles?|posts?|stories|reading) (?:from|on|in) .{0,50}:?$|"
    r"(?:next|previous|prev) (?:article|post|story)\s*:\s*\S|page \d+ of \d+\W*$|"
    r"(?:top|latest) (?:stories|news)\s*:?$|more\s*:|"
    r"mehr zum thema|auch interessant|das könnte sie (?:auch )?interessieren|lesen sie (?:auch|mehr)|"
    r"weiterlesen\s*$|ähnliche(?: artikel| themen)?\s*:?$|weitere (?:artikel|themen|nachrichten|news)\b|"
    r"mehr (?:dazu|lesen|themen|aus|news)\b|mehr (?:zu|zum|zur|über)\b.{0,100}\b(?:lesen|finden|erfahren) sie\b|zum (?:artikel|thema)\s*:|meistgelesen|top-themen|"
    r"weiterführende links|verwandte (?:artikel|themen)|"
    r"lire (?:aussi|la suite|plus)|à lire (?:aussi|également)|voir aussi|sur le même sujet|"
    r"les plus lus|articles? (?:similaires|liés)|"
    r"lee (?:también|más)|leer más|ver (?:también|más)\b|te puede interesar|noticias? relacionadas?|"
    r"lo más (?:leído|visto)|más noticias|"
    r"leia (?:também|mais)|veja (?:também|mais)\b|notícias relacionadas|mais lidas|"
    r"articoli correlati|leggi (?:altro|di più)|i più letti|"
    r"lees meer|gerelateerde artikelen|meest gelezen|i\u0307?lgili haberler|"
    r"читайте (?:также|ещё|еще|також)|смотрите также|дивіться також|новости по теме|"
    r"читать далее|ещё по теме|більше новин|"
    r"czytaj (?:więcej|też|także)|zobacz (?:też|także|również)|leggi anche|potrebbe interessarti|"
    r"lees ook|les også|læs også|läs (?:även|mer|också)|اقرأ (?:أيضا|أيضاً|ايضا|المزيد)|اقرأ أيضًا|"
    r"lue (?:myös|lisää)|citește și|olvassa el|přečtěte si (?:také|též)|baca (?:juga|selengkapnya)|"
    r"đọc thêm|xem thêm|関連(?:記事|キーワード|ニュース)|おすすめ(?:情報|記事)|相关(?:新闻|阅读)|관련 ?기사)"
)

# Month names (and their usual abbreviations): those the date reader knows.
_MONTH = rf"(?:{MONTH_NAMES})\.?"
# A date line may open with a weekday ("Samstag, 5. Dezember 2026", "Sabato 5 dicembre
# 2026") or the dateline's place ("Roma, 5 dicembre 2026"): one word, in any language.
_WEEKDAY = r"[^\W\d_]{2,20}\.?,?\s+"
_CLOCK = (
    r"\d{1,2}[:.h]\d{2}(?:\s*(?:am|pm|a\.m\.|p\.m\.|uhr|h))?"
    r"(?:\s*(?:utc|gmt|cet|cest|est|edt|bst|msk|eet|eest|mez|mesz))?"
)
_AT = rf"\s*(?:(?:,|-|–|\|)\s*)?(?:{CLOCK_WORD}\s*)?"
# "3 mars 2024 à 09:15", "12 Feb, 2024 08:40", "March 3, 2024 9:15 AM", "3. März 2024".
_NAMED_DATE = (
    rf"(?:{_WEEKDAY})?(?:\d{{1,2}}\.?\s+(?:de\s+)?{_MONTH},?\s+(?:de\s+)?\d{{4}}|"
    rf"{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})(?:{_AT}{_CLOCK})?"
)

#: The rules, checked in order; each names the chrome kind it removes.
LINE_RULES: tuple[LineRule, ...] = (
    _rule("related", _RELATED, 220),
    # "Related stories: headline | headline": a label, then the teasers on the same line
    # (a label alone, "Related tools:", may head the story's own list).
    _rule(
        "teaser",
        r"^\W*(?:read\s+more|more\s+on\s+this|related(?:\s+\w+)?|see\s+also|also\s+read|"
        r"recommended|watch|listen|more\s+from\s+[\w ]{1,40})\s*[:|–—-]\s*\w",
        400,
    ),
    _rule(
        "share",
        r"^[-•·]?\s*(?:share|share (?:this|on \w+)(?: article| story| post| page)?|tweet|email|print|copy link|"
        r"copied|link copied|comments?|\d+ comments?|save|bookmark|facebook|twitter|whatsapp|linkedin|"
        r"telegram|pinterest|reddit|flipboard|x|mail|e-mail|drucken|teilen|artikel teilen|kommentare?|"
        r"merken|link kopieren|partager|compartir|imprimir|condividi|udostępnij|kopiera länk|"
        r"поделиться|поширити|копировать ссылку|分享|分享让更多人看到|评论|关注|コピーリンク|共有|"
        r"공유|댓글|compartilhe|compartilhar|deel(?: dit artikel| dit bericht)?|dela|paylaş|sdílet|"
        r"megosztás|partajează|jaa|del artikkelen|شارك|مشاركة|שתף)\s*:?$",
        40,
    ),
    _rule(
        "follow",
        r"^(?:follow|like) (?:us|@?[\w.]+) on\b|^(?:folg(?:t|en sie|e)|folgst du(?: schon)?) (?:uns|[\w .]{1,40}) (?:auf|bei)\b|"
        r"^(?:suivez|síguenos|seguici|подписывайтесь|підписуйтесь)\b|"
        r"\bon (?:twitter|facebook|instagram|whatsapp|telegram)\b.{0,40}\b(?:follow|join)\b|"
        r"^(?:join|follow) (?:us|our) .{0,40}(?:channel|whatsapp|telegram)|"
        r"\bauch (?:bei|auf) social media\b",
        240,
    ),
    _rule(
        "newsletter",
        r"\b(?:sign up|subscribe|signup|register)\b.{0,80}\b(?:newsletter|e-?mails?|inbox|alerts?|"
        r"briefing|digest)\b|\b(?:newsletter|inbox)\b.{0,80}\b(?:sign up|subscribe)\b|"
        r"^(?:sign up|subscribe(?: now)?|register|log ?in|sign in|already a subscriber\??)\s*[.!:]?$|"
        r"newsletter (?:abonnieren|bestellen|anmelden)|der [\w-]+[ -]newsletter|"
        r"abonniere den|push-(?:nachrichten|mitteilungen)|\b(?:in|into|to) your inbox\b|"
        r"inscrivez-vous à (?:notre|la) newsletter|suscríbete (?:a|al) (?:nuestro|nuestra|la|el)|"
        r"iscriviti (?:alla|alle) newsletter|assine (?:a|as) (?:nossa )?newsletters?|"
        r"zapisz się (?:do|na) newslettera?|abonneer je op (?:de|onze) nieuwsbrief|"
        r"(?:bültenimize|bültene) abone ol|prenumerera på (?:vårt|vår) nyhetsbrev|"
        r"přihlaste se k odběru newsletteru|подпишитесь на (?:нашу )?рассылку|"
        r"^get (?:daily|weekly|the latest|breaking)\b.{0,60}\b(?:news|updates|alerts|headlines)\b",
        320,
    ),
    _rule(
        "paywall",
        r"\bjetzt (?:abonnieren|abonnent werden|registrieren|testen|weiterlesen)|"
        r"\b\d+ (?:wochen|monate) (?:kostenlos|gratis) (?:testen|lesen)|"
        r"kostenlos (?:testen|registrieren)|nur für abonnenten|^suscr[ií]bete$|"
        r"(?:sólo|solo) para suscriptores|tu suscripción|abonnez-vous|réservée? aux abonnés|"
        r"подпишитесь|оформите подписку|会員限定|有料会員|会員登録|定期購読|"
        r"\bsubscribe (?:now|today) (?:to|for)\b|\bsubscriber[- ]only\b|"
        r"this (?:article|story|content) is (?:for|only available to) subscribers|"
        r"\bexclusive to [\w+ ]{1,30} subscribers\b|\bunlock this (?:article|piece|story|post)\b|"
        r"\bbecome a (?:paid )?subscriber\b|\bsubscribe to (?:continue|keep) reading\b|"
        r"\bfor (?:only|just) \S{0,4}\d+(?:[.,]\d+)? (?:a|per) (?:month|week|year)\b",
        300,
    ),
    _rule(
        "consent",
        r"externe[nr]? inhalt|externe inhalte|privatsphäre-einstellungen|datenschutzeinstellungen|"
        r"empfohlener redaktioneller inhalt|"
        r"einverstanden, dass mir (?:der |externe )|enable javascript|javascript (?:is )?(?:disabled|required)|"
        r"your browser does not support|to view this content|accept (?:all )?cookies|"
        r"(?:we|this site) uses? cookies|cookie (?:policy|settings|einstellungen)|"
        r"(?:ми використовуємо|мы используем) (?:файли |файлы )?cookie|nous utilisons des cookies|"
        r"(?:utilizamos|usamos) cookies|wir verwenden cookies|utilizziamo (?:i )?cookie|"
        r"content (?:is )?(?:not available|unavailable) (?:due to|because of) your (?:privacy|consent)",
        360,
    ),
    _rule(
        "comments",
        r"^(?:kommentar (?:abgeben|schreiben)|leave a (?:comment|reply)|post a comment|"
        r"comments? (?:are|is) closed|join the (?:conversation|discussion)|"
        r"show comments|view comments|\d+ kommentare)|"
        r"\bum einen kommentar abzugeben|\bto (?:leave|post) (?:a )?comments?\b|"
        r"commenting (?:system|policy)|community guidelines",
        300,
    ),
    _rule(
        "feedback",
        r"^(?:wie hat ihnen (?:dieser|der) artikel gefallen|was this (?:article|story) helpful|"
        r"rate this|durchschnittliche bewertung|fehler gefunden|report (?:an )?(?:error|typo)|"
        r"got a story\?|have a (?:story|tip)\b|"
        r"ihre meinung ist uns wichtig|kontaktieren sie uns\s*$|contact us\s*$|"
        r"senden sie uns ihr feedback)",
        300,
    ),
    _rule(
        "appeal",
        r"^(?:dear readers|liebe leser(?:innen)?|chers lecteurs|queridos lectores|"
        r"дорогие читатели|шановні читачі)\b|"
        r"^(?:become a (?:patron|member|supporter)|donate(?: now)?|support us|jetzt unterstützen)\b|"
        r"\b(?:support|unterstütze?n?)\s+(?:independent|unabhängigen?|our|unseren?)\s+"
        r"(?:journalism|journalismus|reporting)|journalism needs your support|"
        r"journalismus braucht (?:deine|ihre) unterstützung|"
        r"підтримайте (?:незалежну )?журналістику|поддержите (?:независимую )?журналистику|"
        r"\bpart of (?:the |our )?[\w .-]{0,40}community\b.{0,20}thank you|"
        r"\bjoin (?:our|the) (?:community|members)\b|"
        r"\b(?:become|werden sie) (?:a )?(?:patron|member|mitglied|unterstützer)\b",
        700,
    ),
    # A donation appeal of several sentences, longer than prose that mentions support:
    # the formulas such appeals are written in.
    _rule(
        "appeal",
        r"\b(?:depends?|relies?|rely) on (?:the )?(?:support|generosity) of (?:readers|people) like you\b|"
        r"\bjoin (?:our|the) community\b.{0,60}\bhelp us\b|\bbecome a patron\b|"
        r"\bfor as little as\b.{0,40}\bcoffee\b",
        3000,
    ),
    _rule(
        "media",
        r"^\d{1,2}:\d{2}(?::\d{2})?$|^\d{1,2}:\d{2} min\.?|\|\s*\d{1,2}:\d{2}\s*min$|"
        r"^(?:videos?|audio|podcasts?|listen|play|playing|pause|mute|unmute|loading|advertisement|"
        r"anzeige|werbung|publicidad|publicité|реклама|sponsored|paid content|embed)\s*:?$|"
        r"verfügbar bis \d|^listen to (?:this|the) (?:article|story)|^\d+ min(?:ute)?s? (?:read|listen)$|"
        r"^(?:lesezeit|lesedauer|reading time|temps de lecture|tiempo de lectura|tempo di lettura|"
        r"tempo de leitura|czas czytania|leestijd|okuma süresi|lästid|lukuaika|doba čtení|время чтения|"
        r"час читання)\b|"
        r"^\d+\s*(?:min(?:uten?|utes?)?\.?)\s*(?:lesezeit|read|lesen|de lecture|de lectura)\s*$|"
        r"^(?:article content|advertisement)$|story continues below|^link zum [\w-]+-inhalt$|"
        r"^(?:sendung|dieses thema im programm)\s*:|^auf dieser seite\s*:?$",
        120,
    ),
    _rule(
        "credit",
        r"^(?:photo|foto|fotos|bild|image|picture|credit|photo credit|crédit|фото)\s*:\s*\S.{0,80}$|"
        r"^\S.{0,60}/(?:getty images?|afp|reuters|ap|dpa|epa|imago|picture alliance|shutterstock|istock)\b.{0,40}$|"
        r"(?:^|[.!?]\s+)(?:фото|photo|foto|fotos|bild|credit|crédit|photograph)\s*:\s*[^.]{1,60}\.?$|"
        r"^(?:getty images|afp|reuters|dpa|imago images|picture alliance)(?:\s+via\s+.*)?$|\bvia getty images\b|"
        r"^(?:quelle|quellen|source|sources|fuente|fuentes|джерело|источник)\s*:\s*\S.{0,60}$|"
        r"^\W*with inputs from [\w ,&./-]{1,40}\W*$",
        160,
    ),
    # "Archive photo: the harbour at dawn (Jane Roe / Agency)": a caption run into its credit.
    _rule(
        "credit",
        r"^(?:illustrative|file|archive|stock) (?:image|photo|picture|photograph)\s*:|"
        r"^(?:symbolbild|archivbild|archivfoto|image d['’]illustration|photo d['’]illustration|"
        r"imagen de archivo|foto de archivo)\s*:",
        400,
    ),
    # What a feed reader (FreshRSS, Inoreader...) put around the article when the old
    # scraper saved its page: view switches, stream names, the feed's "✇" marker.
    _rule(
        "feed_reader",
        r"^(?:vue (?:normale|lecture|globale|titres)|normal view|reading view|global view|"
        r"(?:à partir d['’]avant-hier|depuis avant-hier|aujourd['’]hui|hier)?\s*flux principal|"
        r"main stream|mark (?:all )?as read|marquer (?:tout )?comme lu)$|"
        r"^(?:[•·*-]\s*)?✇",
        120,
    ),
    # An error page's exclamation left on its own line ("Sorry!!", "Oops!").
    _rule("error_notice", r"^(?:sorry|oops|whoops|error|erreur|fehler)\s*!+$", 20),
    _rule(
        "dateline",
        r"^-?(?:stand|updated|last updated|aktualisiert|zuletzt aktualisiert|published|veröffentlicht|"
        r"publié|publicado|actualizado|mis à jour|опубликовано|обновлено|оновлено|"
        r"pubblicato|aggiornato|ultimo aggiornamento|atualizado|opublikowano|zaktualizowano|aktualizacja|"
        r"gepubliceerd|bijgewerkt|yayınlanma|güncelleme|publikováno|aktualizováno|publicerad|uppdaterad|"
        r"julkaistu|päivitetty|publicat|actualizat|diterbitkan|diperbarui|نشر في|تم النشر|آخر تحديث|"
        r"发布时间|发布于|更新时间|公開日|更新日|입력|수정)"
        r"(?:\s+(?:am|on|le|el|at|il|em|op|den|о|в))?\s*[:：]?\s*(?:\d|$)|"
        r"^\d{1,2}[./-]\d{1,2}(?:[./-]\d{4}(?:[,\s]+\d{1,2}[:.]\d{2}(?:\s*(?:uhr|h))?)?"
        r"|[,\s]+\d{1,2}:\d{2})$|"
        r"^\d{4}-\d{2}-\d{2}(?:[ t]\d{2}:\d{2}(?::\d{2})?)?$|"
        # Chinese, Japanese and Korean dates: "2026年12月5日 10:00", "12月5日(金)", "2026년 12월 5일"
        r"^(?:\d{4}\s*[年년]\s*)?\d{1,2}\s*[月월]\s*\d{1,2}\s*[日일]"
        r"(?:\s*[(（][^)）]{1,3}[)）])?(?:\s*\d{1,2}\s*[:：時时]\s*(?:\d{2}\s*分?)?)?$|"
        rf"^{_NAMED_DATE}$",
        80,
    ),
    # "by Jane Roe March 3, 2024 9:15 AM 4 min read": a byline run into its date.
    _rule(
        "byline",
        rf"^(?:by|von|par|por)\s+[^.!?\d]{{3,60}}?\s+{_NAMED_DATE}(?:\s*[|•·-]?\s*\d+\s*min(?:ute)?s?\s*read)?$",
        140,
    ),
    # A table of contents' heading (its entries are pruned with the box) and the links
    # back out of a post.
    _rule(
        "contents",
        r"^\W*(?:table of contents|contents|in this (?:article|post)|on this page|jump to|inhaltsverzeichnis|"
        r"sommaire|índice|indice|back to (?:top|home|blogs?|news|articles?|posts?|all \w+))\s*:?$",
        40,
    ),
    # An advertisement's label alone on its line.
    _rule("ad_label", r"^\W*(?:sponsored(?: content)?|advertisement|anzeige|werbung|publicidad|publicité)\W*$", 40),
    # A publication stamp on a line of its own ("Published on: March 3, 2024", "Last
    # updated: December 15th 2025"): the article's dates, recorded as such.
    _rule(
        "stamp",
        rf"^\W*(?:published|posted|last updated|updated|last modified)(?: on)?\s*:?\s*{_NAMED_DATE}\W*$",
        80,
    ),
    # A line that is only an address to write to ("Email: name@outlet.example"): the
    # author's contact, not the story.
    _rule(
        "contact",
        r"^\W*(?:(?:e-?mail|contact|kontakt|courriel|correo)\s*:?\s*)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*$",
        120,
    ),
    # An embedded post's signature, as the network's embed code writes it under the post:
    # "— Name (@handle) May 5, 2024".
    _rule("embed_signature", rf"^[—–-]\s*[^()]{{1,80}}\(@\w{{1,30}}\)(?:\s*{_NAMED_DATE})?$", 160),
    _rule("icons", r"^(?:icon[ -]\S+\s*){2,}|^(?:\w+icon\b\s*){3,}", 5000),
    _rule(
        "legal",
        r"^legal disclaimer|\bas is\W{0,2} without (?:any )?warrant|"
        r"all rights reserved|alle rechte vorbehalten|todos los derechos reservados|"
        r"tous droits réservés|^©|^copyright\b|^\(c\) \d{4}|"
        # In other languages, behind a look at the first letter (a long alternation tried
        # at every position of every line costs more than the rest of the rule).
        r"(?=[rtwaktmhвجכ版未无無저무])(?:riproduzione riservata|tutti i diritti riservati|todos os direitos reservados|"
        r"wszelkie prawa zastrzeżone|alle rechten voorbehouden|tüm hakları saklıdır|všechna práva vyhrazena|"
        r"alla rättigheter förbehållna|alle rettigheder forbeholdes|kaikki oikeudet pidätetään|"
        r"toate drepturile rezervate|minden jog fenntartva|hak cipta dilindungi|"
        r"все права защищены|всі права захищені|جميع الحقوق محفوظة|כל הזכויות שמורות|"
        r"版权所有|版權所有|未经授权.{0,10}(?:转载|轉載)|(?:无断|無断)(?:转载|転載)|무단\s?전재|저작권자\s?[©ⓒ])",
        500,
    ),
    _rule(
        "affiliate",
        r"affiliate[- ]links?|we may earn (?:a )?commission|buying through (?:our links|us) may earn|"
        r"provision.{0,30}ohne mehrkosten|we independently (?:select|review)",
        400,
    ),
    _rule("standards", r"^(?:our|editorial) (?:standards|guidelines)\b", 120),
    # The desk editor's credit a Chinese story ends with ("责任编辑：张三", "【编辑：李四】").
    _rule("editor", r"^[\[【(（]?\s*(?:责任编辑|責任編輯|编辑|編輯|校对|审核)\s*[:：].{1,20}$", 40),
    _rule(
        "paywall_debug",
        r"^[-•]?\s*(?:[a-z]*paywall[a-z]*|is[a-z]*(?:subscriber|paid)|true|false|null|undefined)\s*:?$",
        30,
    ),
    # Who else reported, wrote or edited: the credit line under an agency story
    # ("Additional reporting by Jane Roe"). Where the piece appeared first ("originally
    # published by ...") is not chrome: dedup reads it to elect the original of a
    # syndicated story (``pipeline/dedup/origin.py``), so the extractor keeps it.
    _rule(
        "credit",
        r"\bcontributed (?:to )?(?:this|the) (?:report|story|article)\b|"
        r"^(?:[-–—]\s*)?(?:additional reporting|with (?:additional )?files) (?:by|from)\b|"
        r"^reporting by\b.{0,240}\b(?:editing|writing) by\b|^(?:[-–—]\s*)?(?:writing|editing) by\b|"
        r"^mit (?:material|informationen|agenturmaterial) (?:von|der|aus)\b|"
        r"^mit (?:dpa|afp|ap|reuters|kna|epd|sda)(?:[ ,/]|$)|^avec (?:afp|ap|reuters)\b|"
        r"^con (?:información|informaciones) de\b",
        300,
    ),
    # A call for readers' tips with the newsroom's address ("Seen the fire? Email us at ...").
    _rule(
        "feedback",
        r"\b(?:story|tip|tips|touch|hear from you)\b.{0,80}[\w.+-]+@[\w-]+\.\w|"
        r"^(?:do you have|have you got) a (?:story|news tip|tip)\b|^we(?:['’]d| would)? (?:want|like|love) to hear from you\b",
        300,
    ),
    # An app or newsletter promotion between paragraphs.
    _rule(
        "app",
        r"^(?:click here to |tap here to )?(?:download|get|install) (?:the|our) (?:free )?[\w .'’-]{0,30}\bapp\b|"
        r"\bhier geht(?: es)? zu(?:r|m)? [\w .-]{0,30}app\b|^laden sie (?:sich )?(?:die|unsere) [\w .-]{0,30}app\b|"
        r"^téléchargez (?:l['’]application|notre application)|^descarga (?:la|nuestra) app\b",
        200,
    ),
    _rule(
        "newsletter",
        r"\bsign(?:ing)? up (?:to|for) (?:our|the) (?:free )?[\w ’'-]{0,40}newsletters?\b|\w-newsletter\b",
        200,
    ),
    # A link's call on a line of its own ("Click here to read the full ruling").
    _rule(
        "link",
        r"^(?:click|tap) here\b|^(?:klicken|tippen) sie hier\b|^hier klicken\b|^cliquez ici\b|"
        r"^(?:haga|haz|pulse|pincha) (?:clic )?aquí\b",
        200,
    ),
    # A video teaser: its summary ending in its date and length ("... 03.03.2024 | 2:45 min").
    _rule("media", r"\|\s*\d{1,2}:\d{2}(?::\d{2})?\s*min\.?$", 600),
    # A box of appeal prose ending in its button ("... Sind Sie dabei? Jetzt unterstützen").
    _rule(
        "appeal",
        r"\b(?:(?:jetzt|heute) (?:unterstützen|spenden|mitmachen|mitglied werden)|support us|donate(?: now)?|"
        r"give now|become a member|soutenez-nous|fai(?:tes|re) un don|(?:dona|colabora) ahora)\s*!?$",
        3000,
    ),
    # Subscription terms and sign-in walls.
    _rule(
        "paywall",
        r"\b(?:angebot|abo|abonnement|probeabo|testabo) endet automatisch\b|\bjederzeit kündbar\b|"
        r"\brésiliable à tout moment\b|読み放題|"
        r"^(?:log ?in|sign in) or (?:create|register|subscribe)\b|\bcreate (?:a free |an )?account to (?:continue|read)\b",
        400,
    ),
    # A note that the story is still being written ("This is a developing story").
    _rule(
        "update_note",
        r"^this (?:is a )?(?:breaking|developing)(?: news)? story\b|\bmore to follow\s*[.!]?$|"
        r"^(?:this|the) (?:story|article|report) (?:will be|is being) updated\b|^(?:more )?updates to follow\b|"
        r"^(?:dieser|der) (?:artikel|beitrag) wird (?:laufend |fortlaufend )?aktualisiert\b",
        200,
    ),
    # Datelines in the Nordic, Dutch, Italian and Turkish spellings, and clock-first ones.
    _rule(
        "dateline",
        r"^(?:[-•]\s*)?(?:uppdaterad|publicerad|oppdatert|publisert|opdateret|publiceret|bijgewerkt|"
        r"gepubliceerd|aggiornato|pubblicato|güncelleme|yayınlanma)(?:\s+(?:il|den|op|kl\.?))?\s*:?\s*\d|"
        rf"^{_CLOCK}\s*(?:jst|kst|hkt|sgt|aest|aedt|ist)?,?\s+{_NAMED_DATE}$",
        80,
    ),
    # The author's box: "Her articles are collected here".
    _rule(
        "author_box",
        r"\b(?:seine|ihre) (?:artikel|beiträge|texte) finden sie hier\b|^view all (?:posts|articles|stories) by\b|"
        r"^(?:more|all) (?:articles|stories|posts) by (?:this author|[\w .'’-]{3,40})$|"
        r"^for more (?:stories|news|articles) like this\b",
        400,
    ),
)

# "Not found" as error pages say it, in the languages we must cover and a few more.
SOFT_404 = re.compile(
    r"\b(?:404|410)\b.{0,40}\b(?:not found|error|fehler|erreur|error|ошибка|помилка)\b|"
    r"\b(?:error|fehler|erreur|ошибка|помилка)\s*:?\s*(?:404|410)\b|"
    r"page (?:was )?not found|page (?:you (?:are|were) looking for|you requested)\b.{0,60}"
    r"(?:not|n['’]t|no longer|cannot)|(?:page|article|content) (?:does not|doesn['’]t|no longer) exists?|"
    r"(?:page|article) (?:is )?no longer available|we can(?:no|['’])t find (?:the|that|this) page|"
    r"(?:seite|artikel) (?:wurde )?nicht gefunden|(?:seite|artikel) existiert nicht|"
    r"diese seite gibt es nicht|(?:seite|artikel) (?:ist )?nicht (?:mehr )?verfügbar|"
    r"page (?:introuvable|non trouvée)|(?:cette )?page n'existe (?:pas|plus)|page demandée.{0,40}introuvable|"
    r"página no (?:encontrada|existe)|no (?:hemos podido|pudimos) encontrar la página|"
    r"la página (?:que buscas|solicitada) no existe|"
    r"страница не (?:найдена|существует)|такой страницы не существует|"
    r"сторінк[уа] не (?:знайдено|знайдена|існує)|такої сторінки не існує|"
    r"pagina non (?:trovata|esiste)|pagina niet gevonden|strona nie (?:została znaleziona|istnieje)|"
    r"sayfa bulunamadı|ページが見つかりません|페이지를 찾을 수 없습니다|"
    r"página não (?:encontrada|existe)|stránka (?:nebyla nalezena|neexistuje)|sidan (?:kunde inte hittas|finns inte)|"
    r"siden (?:blev ikke fundet|finnes ikke|findes ikke)|sivua ei löytynyt|pagina nu a fost găsită|"
    r"az oldal nem található|halaman tidak ditemukan|không tìm thấy trang|η σελίδα δεν βρέθηκε|"
    r"страницата не е намерена|הדף (?:לא נמצא|אינו קיים)|الصفحة (?:غير موجودة|المطلوبة غير موجودة)|"
    r"لم يتم العثور على الصفحة|صفحه (?:مورد نظر )?(?:یافت نشد|پیدا نشد)|"
    r"(?:页面|網頁|网页)(?:不存在|未找到|找不到)|(?:找不到|无法找到)(?:该|此|您要的)?(?:页面|網頁|网页)",
    re.IGNORECASE,
)
# An error notice inside an otherwise good page ("Sorry, the page you were looking for
# doesn't exist" above the article) is chrome; a page made of little else is a soft 404.
_ERROR_NOTICE_MAX_CHARS = 200
# The same wording as a line rule: matched on lower-cased text (it is written lower-case),
# 3x faster than IGNORECASE, and split like the others.
ERROR_NOTICE = _rule("error_notice", SOFT_404.pattern, _ERROR_NOTICE_MAX_CHARS)
_BYLINE = re.compile(r"^(?:von|by|par|por|door|av|af|от|автор|author|autor|auteur)\s*:?\s+(\S)",
                     re.IGNORECASE)
_BYLINE_MAX_WORDS = 6


# A tag line: "Local News, City Council, Budget, Schools, Transport, Harbour": many
# short comma-separated items, mostly capitalised, with none of what a sentence has
# (an end, a colon, figures, quotes, brackets, "and" before its last item).
_TAG_LINE_MAX_CHARS = 300
_TAG_MIN_ITEMS = 6
_TAG_MAX_WORDS = 4
_NOT_IN_TAGS = re.compile(r"[.!?:;\d\"“”«»()]")
_CONJUNCTIONS = frozenset({"and", "or", "und", "oder", "et", "ou", "y", "o", "e", "en", "og",
                           "и", "или", "і", "та", "або"})


# A tag line's label, alone ("Tags:") or before its items ("Tags: Harbour, Ferries"), in
# the languages of the dev sets and their neighbours.
_TAG_LABEL = re.compile(
    r"^(?:tags?|tagged(?: with)?|keywords|schlagw(?:ö|oe)rter|schlagworte|stichw(?:ö|oe)rter|"
    r"etiketler|[ée]tiquettes|mots[- ]cl[ée]s|etiquetas|trefwoorden|taggar|tagit|emneord|"
    r"теги|метки|ключевые слова|мітки)\s*:\s*",
    re.IGNORECASE,
)
# What stands between the items after a label ("Tags: A, B | C").
_TAG_SEPARATOR = re.compile(r"\s*[,|;·•]\s*")


def is_tag_label(text: str) -> bool:
    """Whether a line is a tag label alone ("Tags:"): the tags follow it, one per line."""
    match = _TAG_LABEL.match(text)
    return match is not None and match.end() == len(text)


def _is_tag_list(text: str) -> bool:
    if (label := _TAG_LABEL.match(text)) is not None:
        tags: list[str] = _TAG_SEPARATOR.split(text[label.end():].strip())
        return all(tag and len(tag.split()) <= _TAG_MAX_WORDS and not _NOT_IN_TAGS.search(tag) for tag in tags)
    if len(text) > _TAG_LINE_MAX_CHARS or text.count(",") < _TAG_MIN_ITEMS - 1 or _NOT_IN_TAGS.search(text):
        return False
    items = [item.strip() for item in text.split(",")]
    if any(not item or len(item.split()) > _TAG_MAX_WORDS for item in items):
        return False
    if items[-1].split()[0].lower() in _CONJUNCTIONS:
        return False
    return 2 * sum(item[0].isupper() for item in items) >= len(items)


# A template's slot the page left unfilled ("$$SLOT$$", "%%SLOT%%", "[PROMO_BLOCK]"), or a
# CMS shortcode left unrendered ("[form id=12]"), alone on its line. Upper case only, and
# not "{{ slot }}": a code listing shows those (shell, batch, Jinja).
_PLACEHOLDER = re.compile(
    r"^(?:\$\$[A-Z][A-Z0-9_]*\$\$|%%[A-Z][A-Z0-9_]*%%|\[[A-Z][A-Z0-9]*_[A-Z0-9_]+\]|"
    r"\[[a-z][\w-]*(?:\s+[\w-]+=(?:\"[^\"]*\"|'[^']*'|[^\s\]]+))+\])$"
)


def chrome_rule(text: str) -> str | None:
    """The name of the chrome kind ``text`` is, or None when it reads as prose."""
    if not any(character.isalnum() for character in text):
        return "symbols"  # an icon or a bullet left alone on its line ("❌", "•", "|")
    if _PLACEHOLDER.match(text.strip()):
        return "placeholder"
    lowered = text.lower()
    if len(text) <= ERROR_NOTICE.max_chars and ERROR_NOTICE.search(lowered):
        return "error_notice"
    for rule in LINE_RULES:
        if len(text) <= rule.max_chars and rule.search(lowered):
            return rule.name
    if _is_tag_list(text):
        return "tags"
    # A bare byline ("Von Erika Beispiel"): short, the preposition then a capitalised name,
    # no sentence end.
    byline = _BYLINE.match(text)
    if (
        byline
        and byline.group(1).isupper()
        and len(text.split()) <= _BYLINE_MAX_WORDS
        and not text.rstrip().endswith((".", "!", "?", ":"))
    ):
        return "byline"
    return None


def is_related_heading(text: str) -> bool:
    """Whether a short line announces a block of teasers ("Mehr zum Thema", "Related")."""
    return len(text) <= 80 and LINE_RULES[0].search(text.lower())


# Frame the extractor keeps: what an outlet puts around a story it republishes besides
# the chrome above. Notes to the reader and pointers to the full text elsewhere are its
# own words and stay in the article; the follow lines are chrome the line rules do not
# catch yet (moving one into LINE_RULES changes extraction: measure it with
# bench/extraction.py; the teaser lines moved there). Dedup counts these, with every
# chrome kind, as the frame a copy adds to a story (``pipeline/dedup/fullness.py``).
_FRAME_MAX_CHARS = 400
# Where a pointer to the full story or a follow prompt may begin: the line's start or a
# sentence's (after . ! ? : ; , | a dash or a bracket), so reporting that merely uses the
# words mid-sentence ("residents who read the full report said...") stays story text.
_SENTENCE_START = r"(?:^|[.!?:;,|–—(-])\W*"
_NETWORKS = r"(?:social\s+media|twitter|x|facebook|instagram)\b"
FRAME_RULES: tuple[LineRule, ...] = (
    _rule(
        "note",
        r"^\W*(?:editor(?:['’`]?s|s['’`]?)|publisher['’`]?s)\s+note\b|"
        r"^\W*(?:correction|clarification|update|updated)\s*[:–—-]",
        _FRAME_MAX_CHARS,
    ),
    _rule(
        "full_story",
        _SENTENCE_START + r"(?:click\s+here\s+)?(?:to\s+)?(?:read|see|view|get)\s+(?:the\s+)?"
        r"(?:full|whole|complete|entire|rest\s+of\s+the)\s+(?:story|article|report|piece|text)\b|"
        + _SENTENCE_START + r"(?:continue|continues|keep)\s+reading\b|\bstory\s+continues\b",
        _FRAME_MAX_CHARS,
    ),
    _rule(
        "follow",
        r"\bfollow\s+us\s+on\s+" + _NETWORKS + "|" + _SENTENCE_START
        + r"follow\s+[\w .'&-]{1,40}?\s+on\s+" + _NETWORKS,
        _FRAME_MAX_CHARS,
    ),
)


def frame_rule(text: str) -> str | None:
    """The kind of frame ``text`` is: a chrome kind (:func:`chrome_rule`) or a frame
    rule's (a note to the reader, a pointer to the full story); None for story text."""
    if kind := chrome_rule(text):
        return kind
    lowered = text.lower()
    for rule in FRAME_RULES:
        if len(text) <= rule.max_chars and rule.search(lowered):
            return rule.name
    return None
