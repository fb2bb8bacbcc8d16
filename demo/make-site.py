#!/usr/bin/env python3
"""Writes demo/site/: the sample site `banwatch demo` serves.

Every outlet, person, place and article here is invented for the banwatch demo;
the vendors are real names from the rule pack's dictionary, and nothing these
articles report has happened. Edit the ARTICLES below and run this script
(python3 demo/make-site.py) to regenerate the site; the output is committed.

How the pages are written, so that the default rule pack reads them as intended
(check a page with `banwatch parse article PAGE --json` and `banwatch rules test
--file TEXT --published DATE --explain`):
- the dateline is a paragraph of its own: "ORSBY, Dec 1 (Meridian Wire) - The
  authority ordered ..." hides the sentence's subject from the rules;
- the event sentence names its actor first and states its date ("... on December
  1, 2026"), so the reports of several outlets fall into one event;
- headlines put the vendor first ("Huawei removal order for ..."): they still
  make the feed item a candidate whose page is fetched, but give no undated
  event of their own;
- the hard negatives must give no event: a vendor named without an action, a
  ban of something that is not a vendor, a denial ("no plans to ban").
demo_tests (tests/app/demo_test.cpp) checks the brief that results.
"""
import html
import os
import shutil
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
SITE = os.path.join(HERE, "site")

OUTLETS = {
    "meridianwire.test": dict(
        name="Meridian Wire", sections=["World", "Business", "Technology", "Markets"],
        robots="User-agent: *\nDisallow: /print/\nDisallow: /search\n\nSitemap: http://meridianwire.test/rss.xml\n"),
    "ledgerline.test": dict(
        name="Ledgerline", sections=["Companies", "Markets", "Policy", "Opinion"],
        robots="User-agent: *\nDisallow: /account/\n"),
    "saltmarsh-courier.test": dict(
        name="The Saltmarsh Courier", sections=["Local", "Region", "Business", "Schools"],
        robots="User-agent: *\nDisallow: /admin/\n\nSitemap: http://saltmarsh-courier.test/sitemap.xml\n"),
    "kestrel-tech.test": dict(
        name="Kestrel Tech", sections=["Security", "Devices", "Reviews", "Policy"],
        robots="User-agent: *\nCrawl-delay: 1\nDisallow: /drafts/\n"),
    "continental-dispatch.test": dict(
        name="Continental Dispatch", sections=["Europe", "Economy", "Digital", "Languages"],
        robots="User-agent: *\nDisallow: /internal/\n"),
}

# Each article: host, path, language, published (UTC), author, title, summary,
# and paragraphs (the first follows the dateline). `feed_link` overrides the
# link a feed gives (a page robots.txt disallows: the feed's text is stored).
ARTICLES = [
    # ---- Meridian Wire (RSS) ---------------------------------------------------
    dict(host="meridianwire.test", path="/world/2026/12/01/norvik-orders-huawei-removal.html", lang="en",
         published="2026-12-01T09:40:00Z", author="Ilse Marten", dateline="ORSBY, Dec 1",
         title="Huawei removal order for Norvik's 5G networks",
         summary="The Norvik Telecommunications Authority gave mobile operators until 2029 to replace the equipment.",
         paras=[
             "The Norvik Telecommunications Authority ordered mobile operators to remove Huawei equipment "
             "from their 5G networks on December 1, 2026.",
             "The three operators affected have until the end of 2029 to replace radio units and core "
             "software, the authority said in a statement published on its website.",
             "A spokesperson for the largest operator said the company was studying the order and expected "
             "the work to cost several hundred million crowns.",
             "The authority said the decision followed a two-year review of supply chains in critical "
             "infrastructure and that further guidance would follow in the spring.",
         ]),
    dict(host="meridianwire.test", path="/technology/2026/11/26/harwick-university-deepseek.html", lang="en",
         published="2026-11-26T14:05:00Z", author="Tomas Reyna", dateline="HARWICK, Nov 26",
         title="Staff at Harwick University told to stop using DeepSeek on work laptops",
         summary="The university cited data protection rules for research material.",
         paras=[
             "Harwick University told staff to stop using DeepSeek on university laptops on November 26, 2026.",
             "In an email to employees, the university's information security office said research data "
             "entered into the chatbot could leave the university's control.",
             "Students are not covered by the instruction, a university spokesperson said.",
         ]),
    dict(host="meridianwire.test", path="/world/2026/11/23/tarrow-assembly-tiktok-proposal.html", lang="en",
         published="2026-11-23T11:20:00Z", author="Ilse Marten", dateline="TARROW CITY, Nov 23",
         title="TikTok ban for state devices proposed in Tarrow",
         summary="A first reading is expected next week.",
         paras=[
             "The Tarrow Assembly proposed a ban on TikTok on state devices on November 23, 2026.",
             "The draft would apply to phones and tablets issued to civil servants and members of the "
             "assembly, its sponsors said.",
             "A vote is expected before the winter recess.",
         ]),
    dict(host="meridianwire.test", path="/world/2026/12/03/tarrow-assembly-tiktok-vote.html", lang="en",
         published="2026-12-03T17:45:00Z", author="Ilse Marten", dateline="TARROW CITY, Dec 3",
         title="TikTok ban on Tarrow state devices passes 61-22",
         summary="The Tarrow Assembly proposed a ban on TikTok on state devices on November 23, 2026; members "
                 "approved it by 61 votes to 22.",
         paras=[
             "The Tarrow Assembly banned TikTok on state devices on December 3, 2026.",
             "The measure passed by 61 votes to 22 and takes effect in thirty days, the assembly's press "
             "office said.",
             "Civil servants must delete the application from work phones and tablets before that date.",
         ]),
    dict(host="meridianwire.test", path="/business/2026/12/02/fenwick-energy-tp-link.html", lang="en",
         published="2026-12-02T08:15:00Z", author="Tomas Reyna", dateline="FENWICK, Dec 2",
         feed_link="/print/business/2026/12/02/fenwick-energy-tp-link.html",
         title="TP-Link router ban at Fenwick Energy offices",
         summary="Fenwick Energy banned TP-Link routers from its offices on December 2, 2026.",
         paras=[
             "Fenwick Energy banned TP-Link routers from its offices on December 2, 2026.",
             "The utility said about four hundred devices would be replaced by the end of January.",
         ]),
    dict(host="meridianwire.test", path="/world/2026/12/02/tarrow-wechat-denial.html", lang="en",
         published="2026-12-02T12:30:00Z", author="Ilse Marten", dateline="TARROW CITY, Dec 2",
         title="Tarrow ministry says no WeChat ban is planned",
         summary="The interior ministry rejected reports of a wider app ban.",
         paras=[
             "Tarrow's interior ministry said it had no plans to ban WeChat.",
             "Local newspapers had reported that the ministry was preparing a list of messaging "
             "applications to be removed from state devices after the assembly's vote on TikTok.",
             "The ministry said such reports were speculation.",
         ]),
    dict(host="meridianwire.test", path="/world/2026/11/24/eastmoor-hikvision.html", lang="en",
         published="2026-11-24T19:10:00Z", author="Tomas Reyna", dateline="EASTMOOR, Nov 24",
         title="Hikvision cameras banned from Eastmoor municipal buildings",
         summary="Cameras in libraries and the town hall will be replaced.",
         paras=[
             "Eastmoor City Council banned Hikvision cameras from municipal buildings on November 24, 2026.",
             "Thirty-eight cameras in libraries, sports halls and the town hall will be replaced next year, "
             "a council report said.",
             "The council voted 27 to 4 in favour of the motion.",
         ]),
    # ---- Ledgerline (Atom) ---------------------------------------------------------
    dict(host="ledgerline.test", path="/companies/brightwater-bank-kaspersky", lang="en",
         published="2026-11-27T10:00:00Z", author="Priya Castell", dateline="LONDON, Nov 27",
         title="Kaspersky antivirus dropped from Brightwater Bank office computers",
         summary="The lender completed a switch it announced in the summer.",
         paras=[
             "Brightwater Bank stopped using Kaspersky antivirus software on its office computers on "
             "November 27, 2026, the bank said.",
             "The lender said the switch to another supplier covered about twelve thousand machines in "
             "its branches and head office.",
             "Brightwater Bank shares were little changed in morning trading.",
         ]),
    dict(host="ledgerline.test", path="/companies/calder-rail-dji", lang="en",
         published="2026-11-29T15:30:00Z", author="Priya Castell", dateline="CALDER, Nov 29",
         title="DJI drone partnership ended by Calder Rail",
         summary="The rail operator is reviewing how it inspects bridges and tracks.",
         paras=[
             "Calder Rail ended its partnership with DJI on November 29, 2026 after a review of its drone "
             "fleet, the company said.",
             "The operator uses drones to inspect bridges, embankments and overhead lines across its network.",
             "A tender for a new supplier will open in January, the company said.",
         ]),
    dict(host="ledgerline.test", path="/policy/norvik-huawei-5g-order", lang="en",
         published="2026-12-01T13:25:00Z", author="Jonah Wexley", dateline="ORSBY, Dec 1",
         title="Huawei removal order: Norvik operators face costly 5G overhaul",
         summary="Analysts put the bill for replacing radio equipment in the hundreds of millions.",
         paras=[
             "The Norvik Telecommunications Authority ordered mobile operators to remove Huawei equipment "
             "from their 5G networks on December 1, 2026, in a decision that analysts said would weigh on "
             "the operators' earnings for several years.",
             "Two of the three operators rely on the vendor for most of their radio network, according to "
             "industry estimates.",
             "Shares in the largest operator fell 3 percent in Orsby.",
         ]),
    dict(host="ledgerline.test", path="/companies/huawei-folding-phone-launch", lang="en",
         published="2026-11-30T09:00:00Z", author="Jonah Wexley", dateline="BRACKENFORD, Nov 30",
         title="Huawei launches a folding phone in Brackenford",
         summary="The device goes on sale in December.",
         paras=[
             "Huawei launched a new folding phone in Brackenford on November 30, 2026, its first model aimed "
             "at business customers in the region.",
             "The phone will go on sale in December at a price similar to its rivals, the company said.",
             "Retailers said they expected strong demand before the holidays.",
         ]),
    dict(host="ledgerline.test", path="/companies/osterby-port-nuctech", lang="en",
         published="2026-12-01T16:40:00Z", author="Priya Castell", dateline="OSTERBY, Dec 1",
         title="Nuctech scanners to be removed from Osterby container terminal",
         summary="New scanners will be installed next year.",
         paras=[
             "Osterby Port Authority ordered the removal of Nuctech scanners from its container terminal on "
             "December 1, 2026.",
             "Four scanning portals will be replaced during the first half of next year, the authority said.",
             "Customs officers will use mobile units while the work is done.",
         ]),
    dict(host="ledgerline.test", path="/markets/xiaomi-quarterly-sales", lang="en",
         published="2026-11-25T07:30:00Z", author="Jonah Wexley", dateline="LONDON, Nov 25",
         title="Xiaomi posts record quarterly phone sales",
         summary="Shipments rose on strong demand for mid-range models.",
         paras=[
             "Xiaomi reported record phone sales for the third quarter on November 25, 2026, helped by "
             "mid-range models.",
             "The company said revenue from its electric vehicle unit also grew.",
         ]),
    # ---- The Saltmarsh Courier (news sitemap) ------------------------------------
    dict(host="saltmarsh-courier.test", path="/business/2026/11/28/lindqvist-logistics-quectel.html", lang="en",
         published="2026-11-28T08:00:00Z", author="Maud Pellow", dateline="SALTMARSH, Nov 28",
         title="Quectel added to Lindqvist Logistics banned-supplier list",
         summary="The haulier will stop buying trackers with the modules.",
         paras=[
             "Lindqvist Logistics added Quectel to its list of banned suppliers on November 28, 2026.",
             "The haulier, one of the largest employers in the district, said it would no longer buy vehicle "
             "trackers built with the company's cellular modules.",
             "Trackers already fitted to its 900 lorries will be replaced as they wear out.",
         ]),
    dict(host="saltmarsh-courier.test", path="/schools/2026/11/25/marrow-valley-temu-warning.html", lang="en",
         published="2026-11-25T16:20:00Z", author="Owen Tregar", dateline="MARROW VALLEY, Nov 25",
         title="Temu warning for parents from Marrow Valley Schools",
         summary="A letter home asks families to check children's phones.",
         paras=[
             "Marrow Valley Schools warned parents against Temu on November 25, 2026.",
             "A letter sent home with pupils asked families to check which shopping apps their children "
             "had installed and how they paid for purchases.",
             "The district said it had received complaints about unexpected charges.",
         ]),
    dict(host="saltmarsh-courier.test", path="/region/2026/12/02/norvik-huawei-ferry-link.html", lang="en",
         published="2026-12-02T07:50:00Z", author="Maud Pellow", dateline="SALTMARSH, Dec 2",
         title="Huawei removal order may slow coverage on the ferry route",
         summary="Passengers may see weaker signal while masts are refitted.",
         paras=[
             "The Norvik Telecommunications Authority ordered mobile operators to remove Huawei equipment "
             "from their 5G networks on December 1, 2026, and the work could affect coverage on the ferry "
             "route between Saltmarsh and Orsby.",
             "The operator that serves the crossing said masts on both coasts would be refitted over the "
             "next three years.",
         ]),
    dict(host="saltmarsh-courier.test", path="/local/2026/11/29/eastmoor-scooters.html", lang="en",
         published="2026-11-29T12:00:00Z", author="Owen Tregar", dateline="EASTMOOR, Nov 29",
         title="Eastmoor bans electric scooters from its pavements",
         summary="Riders face fines from January.",
         paras=[
             "Eastmoor banned electric scooters from its pavements on November 29, 2026.",
             "Riders caught on pavements will be fined from January, the council said.",
         ]),
    dict(host="saltmarsh-courier.test", path="/region/2026/12/02/brackenford-lifts-dji-ban.html", lang="en",
         published="2026-12-02T18:05:00Z", author="Owen Tregar", dateline="BRACKENFORD, Dec 2",
         title="DJI drone ban lifted in Brackenford",
         summary="Surveyors and the fire service may use the drones again.",
         paras=[
             "Brackenford Council lifted its ban on DJI drones on December 2, 2026.",
             "The council said an audit of the drones' software had found no reason to keep the ban, which "
             "was introduced last year.",
             "The fire service said it would return its four drones to service next week.",
         ]),
    # ---- Kestrel Tech (Atom) ----------------------------------------------------
    dict(host="kestrel-tech.test", path="/policy/harwick-deepseek-staff-ban/", lang="en",
         published="2026-11-27T09:10:00Z", author="Rafe Oduya", dateline="HARWICK, Nov 27",
         title="DeepSeek off Harwick University laptops: staff told to stop using the chatbot",
         summary="The university's security office explains the decision.",
         paras=[
             "Harwick University told staff to stop using DeepSeek on university laptops on November 26, 2026.",
             "The university's security office said the instruction covered the chatbot's website and its "
             "desktop application, and that staff could use two tools approved by the university instead.",
             "Researchers we spoke to said the change would make little difference to their work.",
         ]),
    dict(host="kestrel-tech.test", path="/security/vestland-temu-investigation/", lang="en",
         published="2026-11-30T17:00:00Z", author="Rafe Oduya", dateline="VESTLAND, Nov 30",
         title="Temu investigation opened over data transfers in Vestland",
         summary="The commission wants to know where shoppers' data is stored.",
         paras=[
             "The Vestland Privacy Commission opened an investigation into Temu on November 30, 2026.",
             "The commission said it would examine how the shopping app transfers customers' data abroad.",
             "The company has thirty days to answer the commission's questions.",
         ]),
    dict(host="kestrel-tech.test", path="/reviews/huawei-foldable-hands-on/", lang="en",
         published="2026-12-01T08:00:00Z", author="Lena Hask", dateline="BRACKENFORD, Dec 1",
         title="Hands-on: Huawei's new foldable is lighter than last year's",
         summary="First impressions of the hinge, the screen and the battery.",
         paras=[
             "Huawei's new foldable weighs less than last year's model and its hinge feels sturdier.",
             "The inner screen is brighter, though the crease is still visible at an angle.",
             "Battery life was good enough for a full day of use in our first tests.",
         ]),
    dict(host="kestrel-tech.test", path="/devices/router-firmware-guide/", lang="en",
         published="2026-12-03T10:30:00Z", author="Lena Hask", dateline="",
         title="How to check your router's firmware",
         summary="A short guide for home users.",
         paras=[
             "Most home routers can update their firmware automatically, but the setting is often off.",
             "Log in to the router's administration page, look for a section called firmware or software "
             "update, and turn on automatic updates.",
         ]),
    # ---- Continental Dispatch (RSS; pages in six languages) ------------------------
    dict(host="continental-dispatch.test", path="/en/2026/11/28/aldermark-telegram.html", lang="en",
         published="2026-11-28T13:00:00Z", author="Claire Vidal", dateline="ALDERMARK, Nov 28",
         title="Telegram banned on Aldermark's official phones",
         summary="Ministers and civil servants must remove the app within a week.",
         paras=[
             "Aldermark's interior ministry banned Telegram on official phones on November 28, 2026.",
             "Ministers and civil servants have a week to remove the application, the ministry said.",
             "Personal phones are not affected.",
         ]),
    dict(host="continental-dispatch.test", path="/fr/2026/11/28/aldermark-telegram.html", lang="fr",
         published="2026-11-28T14:10:00Z", author="Claire Vidal", dateline="ALDERMARK, 28 novembre",
         title="L'Aldermark interdit Telegram sur les téléphones officiels",
         summary="Les ministres et les fonctionnaires ont une semaine pour supprimer l'application.",
         paras=[
             "Le ministère de l'Intérieur de l'Aldermark a interdit Telegram sur les téléphones officiels le "
             "28 novembre 2026.",
             "Les ministres et les fonctionnaires disposent d'une semaine pour supprimer l'application, a "
             "précisé le ministère.",
             "Les téléphones personnels ne sont pas concernés par cette mesure.",
         ]),
    dict(host="continental-dispatch.test", path="/de/2026/12/01/norvik-huawei.html", lang="de",
         published="2026-12-01T15:00:00Z", author="Jakob Lindner", dateline="ORSBY, 1. Dezember",
         title="Norvik verpflichtet Netzbetreiber zum Austausch von Huawei-Technik",
         summary="Die Mobilfunkbetreiber haben bis Ende 2029 Zeit.",
         paras=[
             "Die Telekommunikationsbehörde von Norvik hat die Mobilfunkbetreiber am 1. Dezember 2026 "
             "verpflichtet, Huawei-Komponenten aus ihren 5G-Netzen zu entfernen.",
             "Die drei betroffenen Unternehmen haben bis Ende 2029 Zeit, Antennen und Kernnetz-Software zu "
             "ersetzen, teilte die Behörde mit.",
             "Der größte Betreiber erklärte, er prüfe die Anordnung und rechne mit hohen Kosten.",
         ]),
    dict(host="continental-dispatch.test", path="/it/2026/12/01/osterby-nuctech.html", lang="it",
         published="2026-12-01T18:30:00Z", author="Giulia Ferrante", dateline="OSTERBY, 1 dicembre",
         title="Il porto di Osterby sostituirà gli scanner Nuctech",
         summary="I nuovi scanner saranno installati il prossimo anno.",
         paras=[
             "L'autorità portuale di Osterby ha ordinato la rimozione degli scanner Nuctech dal suo terminal "
             "container il 1 dicembre 2026.",
             "Quattro portali di scansione saranno sostituiti nel primo semestre del prossimo anno, ha "
             "comunicato l'autorità.",
             "Nel frattempo la dogana utilizzerà unità mobili.",
         ]),
    dict(host="continental-dispatch.test", path="/es/2026/12/03/tarrow-tiktok.html", lang="es",
         published="2026-12-03T19:00:00Z", author="Marta Quiroga", dateline="TARROW CITY, 3 de diciembre",
         title="La Asamblea de Tarrow prohíbe TikTok en los dispositivos del Estado",
         summary="La medida fue aprobada por 61 votos contra 22.",
         paras=[
             "La Asamblea de Tarrow prohibió TikTok en los dispositivos del Estado el 3 de diciembre de 2026.",
             "La medida fue aprobada por 61 votos contra 22 y entrará en vigor dentro de treinta días, según "
             "la oficina de prensa de la asamblea.",
             "Los funcionarios deberán borrar la aplicación de sus teléfonos y tabletas de trabajo.",
         ]),
    dict(host="continental-dispatch.test", path="/pl/2026/11/26/harwick-deepseek.html", lang="pl",
         published="2026-11-26T16:45:00Z", author="Tomasz Wrona", dateline="HARWICK, 26 listopada",
         title="Uniwersytet Harwick zakazuje pracownikom korzystania z DeepSeek",
         summary="Uczelnia powołuje się na przepisy o ochronie danych.",
         paras=[
             "Uniwersytet Harwick polecił 26 listopada 2026 roku pracownikom, aby przestali korzystać z "
             "DeepSeek na służbowych laptopach.",
             "Według biura bezpieczeństwa informacji dane badawcze wprowadzane do czatu mogłyby wyjść spod "
             "kontroli uczelni.",
             "Zakaz nie obejmuje studentów, poinformował rzecznik uniwersytetu.",
         ]),
]

FEEDS = {
    # host: (kind, path, title)
    "meridianwire.test": ("rss", "/rss.xml", "Meridian Wire: top news"),
    "ledgerline.test": ("atom", "/feeds/atom.xml", "Ledgerline"),
    "saltmarsh-courier.test": ("sitemap", "/sitemap-news.xml", "The Saltmarsh Courier"),
    "kestrel-tech.test": ("atom", "/atom.xml", "Kestrel Tech"),
    "continental-dispatch.test": ("rss", "/feed.rss", "Continental Dispatch"),
}

NOTICE = ("{name} is an invented outlet. Every article on this site was written for the banwatch demo; "
          "the people, places and organisations in them are invented, and nothing they report has happened.")


def esc(text):
    return html.escape(text, quote=True)


def when(iso):
    return datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def rfc822(iso):
    return when(iso).strftime("%a, %d %b %Y %H:%M:%S +0000")


def human(iso):
    d = when(iso)
    return d.strftime("%B ") + str(d.day) + d.strftime(", %Y %H:%M UTC")


def url(host, path):
    return "http://" + host + path


def write(host, path, text):
    if path.endswith("/"):
        path += "index.html"
    full = os.path.join(SITE, host, path.lstrip("/"))
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8") as f:
        f.write(text)


def header(host):
    o = OUTLETS[host]
    nav = "".join('<li><a href="/%s/">%s</a></li>' % (s.lower(), s) for s in o["sections"])
    return ('<header class="masthead">\n<a class="logo" href="/">%s</a>\n'
            '<nav class="sections"><ul>%s<li><a href="/search">Search</a></li></ul></nav>\n'
            '<p class="edition">Sample edition &middot; <a href="/about/">About us</a></p>\n</header>\n'
            % (esc(o["name"]), nav))


def footer(host):
    o = OUTLETS[host]
    return ('<footer class="site-footer">\n<p>%s</p>\n'
            '<p><a href="/about/">About</a> &middot; <a href="/contact/">Contact</a> &middot; '
            '<a href="/privacy/">Privacy</a> &middot; &copy; 2026 %s</p>\n</footer>\n'
            % (esc(NOTICE.format(name=o["name"])), esc(o["name"])))


def article_page(a):
    host = a["host"]
    o = OUTLETS[host]
    others = [b for b in ARTICLES if b["host"] == host and b is not a][:3]
    related = "".join('<li><a href="%s">%s</a></li>' % (esc(b["path"]), esc(b["title"])) for b in others)
    body = "\n".join("<p>%s</p>" % esc(p) for p in a["paras"])
    if a["dateline"]:  # its own line: the rule engine reads sentences that start with their subject
        body = '<p class="dateline">%s (%s)</p>\n' % (esc(a["dateline"]), esc(o["name"])) + body
    return """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title} | {outlet}</title>
<meta name="description" content="{summary}">
<meta name="author" content="{author}">
<meta property="og:type" content="article">
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{outlet}">
<meta property="article:published_time" content="{published}">
<link rel="canonical" href="{url}">
</head>
<body>
{header}<main>
<article>
<h1>{title}</h1>
<p class="standfirst">{summary}</p>
<p class="byline">By {author} &middot; <time datetime="{published}">{human}</time></p>
<div class="article-body">
{body}
</div>
<p class="share">Share this article: <a href="/share?to=mail">Email</a> &middot; <a href="/share?to=print">Print</a></p>
</article>
<aside class="related">
<h2>More from {outlet}</h2>
<ul>{related}</ul>
</aside>
</main>
{footer}</body>
</html>
""".format(lang=a["lang"], title=esc(a["title"]), outlet=esc(o["name"]), summary=esc(a["summary"]),
           author=esc(a["author"]), published=a["published"], url=esc(url(host, a["path"])), header=header(host),
           human=human(a["published"]), body=body, related=related, footer=footer(host))


def index_page(host):
    o = OUTLETS[host]
    items = [a for a in ARTICLES if a["host"] == host]
    items.sort(key=lambda a: a["published"], reverse=True)
    lis = "\n".join('<li><a href="%s">%s</a> <span class="date">%s</span></li>'
                    % (esc(a["path"]), esc(a["title"]), human(a["published"])) for a in items)
    return """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{outlet}</title></head>
<body>
{header}<main>
<h1>Latest from {outlet}</h1>
<ul class="latest">
{lis}
</ul>
</main>
{footer}</body>
</html>
""".format(outlet=esc(o["name"]), header=header(host), lis=lis, footer=footer(host))


def about_page(host):
    o = OUTLETS[host]
    return """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>About {outlet}</title></head>
<body>
{header}<main>
<h1>About {outlet}</h1>
<p>{notice}</p>
<p>The site is served by banwatch itself, on a loopback port, while <code>banwatch demo</code> runs.</p>
</main>
{footer}</body>
</html>
""".format(outlet=esc(o["name"]), header=header(host), notice=esc(NOTICE.format(name=o["name"])),
           footer=footer(host))


def link_of(a):
    return url(a["host"], a.get("feed_link", a["path"]))


def rss(host, title, items):
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">',
           "<channel>",
           "<title>%s</title>" % esc(title),
           "<link>%s</link>" % url(host, "/"),
           "<description>%s</description>" % esc(NOTICE.format(name=OUTLETS[host]["name"])),
           "<language>en</language>",
           "<ttl>15</ttl>",
           "<lastBuildDate>Fri, 04 Dec 2026 18:00:00 +0000</lastBuildDate>"]
    for a in items:
        out += ["<item>",
                "<title>%s</title>" % esc(a["title"]),
                "<link>%s</link>" % esc(link_of(a)),
                '<guid isPermaLink="true">%s</guid>' % esc(link_of(a)),
                "<pubDate>%s</pubDate>" % rfc822(a["published"]),
                "<dc:creator>%s</dc:creator>" % esc(a["author"]),
                "<dc:language>%s</dc:language>" % a["lang"],
                "<description>%s</description>" % esc(a["summary"]),
                "</item>"]
    out += ["</channel>", "</rss>", ""]
    return "\n".join(out)


def atom(host, path, title, items):
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<feed xmlns="http://www.w3.org/2005/Atom">',
           "<title>%s</title>" % esc(title),
           "<subtitle>%s</subtitle>" % esc(NOTICE.format(name=OUTLETS[host]["name"])),
           '<link rel="self" href="%s"/>' % url(host, path),
           '<link rel="alternate" href="%s"/>' % url(host, "/"),
           "<id>%s</id>" % url(host, "/"),
           "<updated>2026-12-04T18:00:00Z</updated>"]
    for a in items:
        out += ["<entry>",
                "<title>%s</title>" % esc(a["title"]),
                '<link rel="alternate" type="text/html" href="%s"/>' % esc(link_of(a)),
                "<id>tag:%s,2026:%s</id>" % (host, a["path"]),
                "<published>%s</published>" % a["published"],
                "<updated>%s</updated>" % a["published"],
                "<author><name>%s</name></author>" % esc(a["author"]),
                '<summary type="text">%s</summary>' % esc(a["summary"]),
                "</entry>"]
    out += ["</feed>", ""]
    return "\n".join(out)


def news_sitemap(host, items):
    name = OUTLETS[host]["name"]
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
           'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">']
    for a in items:
        out += ["<url>",
                "<loc>%s</loc>" % esc(link_of(a)),
                "<lastmod>%s</lastmod>" % a["published"],
                "<news:news>",
                "<news:publication><news:name>%s</news:name><news:language>%s</news:language></news:publication>"
                % (esc(name), a["lang"]),
                "<news:publication_date>%s</news:publication_date>" % a["published"],
                "<news:title>%s</news:title>" % esc(a["title"]),
                "</news:news>",
                "</url>"]
    out += ["</urlset>", ""]
    return "\n".join(out)


def sitemap_index(host, children):
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for child in children:
        out += ["<sitemap><loc>%s</loc><lastmod>2026-12-04T18:00:00Z</lastmod></sitemap>" % url(host, child)]
    out += ["</sitemapindex>", ""]
    return "\n".join(out)


def main():
    if os.path.isdir(SITE):
        shutil.rmtree(SITE)
    for host, o in OUTLETS.items():
        write(host, "/robots.txt", o["robots"])
        write(host, "/", index_page(host))
        write(host, "/about/", about_page(host))
        items = sorted((a for a in ARTICLES if a["host"] == host), key=lambda a: a["published"], reverse=True)
        kind, path, title = FEEDS[host]
        if kind == "rss":
            write(host, path, rss(host, title, items))
        elif kind == "atom":
            write(host, path, atom(host, path, title, items))
        else:
            write(host, path, news_sitemap(host, items))
            write(host, "/sitemap.xml", sitemap_index(host, [path]))
    for a in ARTICLES:
        write(a["host"], a["path"], article_page(a))
        if "feed_link" in a:  # the print version robots.txt disallows: same page
            write(a["host"], a["feed_link"], article_page(a))


if __name__ == "__main__":
    main()
