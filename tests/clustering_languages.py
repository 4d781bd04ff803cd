"""Small hand-written corpora in languages and on a beat the clusterer was not tuned on.

English: a county council's week. Two flood-defence decisions for two towns (the same
kind of event, most of the vocabulary shared), each reported by outlets in their own
words, and other council news. Chinese: a minister's visit to Phnom Penh reported twice
in different words, one near-verbatim republication, and a different visit by the same
minister that week. Chinese is written without spaces between words. English amid
Indonesian: reports of four different events of the ministry's week, from an English
daily, to mix into the newsroom's Indonesian coverage.
"""

from __future__ import annotations

from pipelines.clustering.state import Doc

HOUR = 3600.0
T0 = 1773129600.0  # 2026-03-10 08:00 UTC

SELBY = [
    Doc(key="selby-post", source="post", published=T0,
        title="Council backs £12m flood wall for Selby after winter of misery",
        text=("North Yorkshire Council has approved a £12 million flood wall along the River "
              "Ouse at Selby, months after 340 homes in the town were flooded in January.\n"
              "Councillors voted 38 to 6 for the scheme at County Hall on Tuesday. The wall "
              "will run for 1.8 kilometres between the abbey and the swing bridge, with pumps "
              "at Ousegate.\nResidents of Ousegate and Water Lane told the meeting they could "
              "not get insurance. Work should start in September and take two years.")),
    Doc(key="selby-echo", source="echo", published=T0 + 3 * HOUR,
        title="Selby to get 1.8km river defence as councillors vote 38-6",
        text=("Homes beside the Ouse in Selby will be protected by a new 1.8km flood wall "
              "after a vote at County Hall.\nThe £12m project, approved by 38 votes to 6, "
              "follows the January floods which forced families from 340 properties. Pumping "
              "stations will be built at Ousegate, and the wall will link the abbey with the "
              "swing bridge.\nWater Lane residents said insurers had refused them cover since "
              "the floods. Construction is due to begin in September.")),
    Doc(key="selby-radio", source="radio", published=T0 + 20 * HOUR,
        title="Flood wall approved for Selby",
        text=("A flood wall costing £12 million will be built in Selby after North Yorkshire "
              "councillors backed the plan.\nThe River Ouse burst its banks in January, "
              "flooding 340 homes. The 1.8 kilometre wall from the abbey to the swing bridge "
              "and new pumps at Ousegate are expected to take two years to build, starting in "
              "September, the council said.")),
]

TADCASTER = [
    Doc(key="tad-post", source="post", published=T0 + 26 * HOUR,
        title="Tadcaster bridge flood barrier gets the go-ahead",
        text=("North Yorkshire Council has approved a £3.2 million flood barrier for "
              "Tadcaster, where the River Wharfe destroyed the town's bridge in 2015.\n"
              "The 600 metre barrier will protect 95 homes and the brewery along Wetherby "
              "Road. Councillors backed the plan unanimously on Wednesday.\nThe Environment "
              "Agency will pay half of the cost. Work starts next spring.")),
    Doc(key="tad-echo", source="echo", published=T0 + 30 * HOUR,
        title="Wharfe barrier to shield 95 Tadcaster homes",
        text=("A 600m flood barrier will be built beside the River Wharfe in Tadcaster after "
              "councillors gave unanimous approval to the £3.2m scheme.\nThe town lost its "
              "bridge to the river in 2015. The barrier will protect 95 properties and the "
              "brewery on Wetherby Road, with the Environment Agency paying half. Building "
              "is expected to begin next spring.")),
]

COUNCIL = [
    Doc(key="bins", source="post", published=T0 - 30 * HOUR,
        title="Garden waste collections to move to fortnightly",
        text=("North Yorkshire Council will collect garden waste every two weeks from April, "
              "councillors agreed. The annual charge rises to £48. Residents in Harrogate and "
              "Ripon said the change would leave bins overflowing in summer.")),
    Doc(key="library", source="echo", published=T0 - 20 * HOUR,
        title="Whitby library reopens after roof repairs",
        text=("Whitby library has reopened after eight months of roof repairs paid for by "
              "the council. The £640,000 work replaced slates damaged in storms. Volunteers "
              "returned 2,000 books to the shelves over the weekend.")),
    Doc(key="budget", source="radio", published=T0 - 8 * HOUR,
        title="Council tax to rise by 4.99 per cent",
        text=("North Yorkshire Council has set a council tax rise of 4.99 per cent for the "
              "coming year. The leader said adult social care and school transport costs had "
              "grown faster than the council's grant from government.")),
    Doc(key="school", source="post", published=T0 + 10 * HOUR,
        title="Scarborough primary school to expand",
        text=("Councillors approved plans to add six classrooms to Gladstone Road primary "
              "school in Scarborough, creating 210 places. Building work will start in the "
              "summer holidays and finish by 2028.")),
    Doc(key="roads", source="echo", published=T0 + 24 * HOUR,
        title="Potholes: council doubles repair crews",
        text=("North Yorkshire Council is doubling its pothole repair crews after a wet "
              "winter left more than 9,000 defects on the county's roads. Drivers in "
              "Northallerton and Thirsk reported burst tyres.")),
]


def english() -> list[Doc]:
    """Council news first, then the two flood-defence stories interleaved."""
    s1, s2, s3 = SELBY
    t1, t2 = TADCASTER
    return [*COUNCIL[:3], s1, s2, COUNCIL[3], s3, COUNCIL[4], t1, t2]


PHNOM_PENH = [
    Doc(key="pp-xinhua", source="huaxin", published=T0,
        title="印尼人权部长访问金边 要求柬方将诈骗受害者视为受害人",
        text=("印度尼西亚人权部长皮盖周二在金边会见柬埔寨司法部长谢索万达拉，讨论被关押在移民"
              "拘留中心的87名印尼公民的处境。皮盖要求柬方将这些卷入网络诈骗集团的印尼人视为人口"
              "贩卖的受害者，而不是罪犯。双方同意在30天内成立联合受害者识别小组。谢索万达拉表示，"
              "柬埔寨政府将考虑免除受害者的签证逾期罚款。")),
    Doc(key="pp-lianhe", source="lianhe", published=T0 + 5 * HOUR,
        title="柬埔寨考虑免除87名印尼网络诈骗受害者罚款",
        text=("柬埔寨司法部长谢索万达拉周二在金边与到访的印尼人权部长皮盖举行会谈。皮盖说，87名"
              "被拘留的印尼公民是人口贩卖的受害者，不应被当作罪犯对待。两国将在30天内组建联合小组"
              "识别受害者。柬方表示会研究免除这些印尼人的签证逾期罚款。")),
]

PHNOM_PENH_COPY = Doc(
    key="pp-copy", source="nanyang", published=T0 + 7 * HOUR,
    title="皮盖：诈骗受害者不是罪犯",
    text=("印度尼西亚人权部长皮盖周二在金边会见柬埔寨司法部长谢索万达拉，讨论被关押在移民"
          "拘留中心的87名印尼公民的处境。皮盖要求柬方将这些卷入网络诈骗集团的印尼人视为人口"
          "贩卖的受害者，而不是罪犯。双方同意在30天内成立联合受害者识别小组。"))

YANGON = Doc(
    key="yangon", source="lianhe", published=T0 + 30 * HOUR,
    title="印尼人权部长在仰光商讨遣返诈骗园区劳工",
    text=("印度尼西亚人权部长皮盖周三抵达仰光，与缅甸外交部官员商讨遣返被困在妙瓦底诈骗园区的"
          "412名印尼劳工。皮盖说，第一批劳工将经泰国湄索返回雅加达。缅方同意为劳工办理出境手续。"))

CHINESE_OTHER = [
    Doc(key="prison-zh", source="huaxin", published=T0 - 60 * HOUR,
        title="人权部检查泗水监狱拥挤问题",
        text="印度尼西亚人权部官员视察泗水监狱，发现关押人数超过容量三倍，建议增加假释名额。"),
    Doc(key="land-zh", source="lianhe", published=T0 - 54 * HOUR,
        title="廖内土地纠纷调解会谈破裂",
        text="廖内省农民与棕榈油公司之间的土地纠纷调解会谈破裂，人权部表示将派工作组前往当地。"),
    Doc(key="un-zh", source="nanyang", published=T0 - 48 * HOUR,
        title="印尼代表团在日内瓦人权理事会发言",
        text="印尼代表团在日内瓦联合国人权理事会会议上介绍了国家人权行动计划的进展。"),
    Doc(key="village-zh", source="huaxin", published=T0 - 40 * HOUR,
        title="一百个村庄获评人权意识村",
        text="人权部向中爪哇一百个村庄颁发人权意识村证书，村长们承诺改善残疾人服务。"),
    Doc(key="business-zh", source="lianhe", published=T0 - 36 * HOUR,
        title="企业与人权指南征求意见",
        text="人权部发布企业与人权指南草案，邀请矿业和种植园企业在两周内提交意见。"),
    Doc(key="migrant-zh", source="nanyang", published=T0 - 30 * HOUR,
        title="移民工人保护部与人权部签署合作备忘录",
        text="移民工人保护部与人权部在雅加达签署备忘录，共同处理海外印尼劳工的投诉。"),
    Doc(key="budget-zh", source="huaxin", published=T0 - 20 * HOUR,
        title="印尼人权部向国会提交2027年预算",
        text=("印度尼西亚人权部长皮盖周一在国会第十三委员会会议上介绍人权数据统一计划和2027年"
              "预算，要求增加投诉服务经费。")),
    Doc(key="papua-zh", source="nanyang", published=T0 - 10 * HOUR,
        title="人权部在巴布亚设立投诉站",
        text=("印度尼西亚人权部在巴布亚查亚普拉设立新的投诉站，地方居民可以就土地纠纷和执法问题"
              "提出申诉。副部长穆吉扬托出席了开幕仪式。")),
]


def chinese() -> list[Doc]:
    return [*CHINESE_OTHER, PHNOM_PENH[0], PHNOM_PENH[1], PHNOM_PENH_COPY, YANGON]


WEEK = 1763452800.0  # 2025-11-18 08:00 UTC, in the newsroom's week
MINISTRY_IN_ENGLISH = [
    Doc(key="en-disability", source="daily", published=WEEK,
        title="Human rights ministry urges prisons to serve inmates with disabilities",
        text=("JAKARTA - The Human Rights Ministry has asked the corrections directorate to fit "
              "ramps and accessible toilets in all prisons, Minister Natalius Pigai said on "
              "Tuesday. He said that inmates with disabilities in Cipinang had waited months for "
              "wheelchairs and that the ministry would check the work in March.")),
    Doc(key="en-scam", source="daily", published=WEEK + 20 * 3600,
        title="Ministry to help scam victims returning from Cambodia",
        text=("The Human Rights Ministry will give legal aid to 46 Indonesians who were forced to "
              "work for online scam rings in Cambodia, the minister said on Wednesday. They are "
              "due to land in Jakarta this week, and the ministry said it would press the police "
              "to charge the recruiters who sent them abroad.")),
    Doc(key="en-papua", source="daily", published=WEEK + 44 * 3600,
        title="Pigai visits Nabire after clashes displace villagers",
        text=("Human Rights Minister Natalius Pigai visited Nabire in Central Papua on Thursday, "
              "where clashes have driven some 300 villagers from their homes. He said the "
              "ministry would send a team to the shelters and asked the regional government to "
              "reopen the village school.")),
    Doc(key="en-budget", source="daily", published=WEEK + 70 * 3600,
        title="House approves human rights ministry budget for 2026",
        text=("The House of Representatives has approved a budget of Rp 2.1 trillion for the "
              "Human Rights Ministry next year. The minister told lawmakers on Friday that the "
              "ministry would open 11 more regional offices and that it had received more than "
              "1,200 complaints this year.")),
]

# English reports of two of the newsroom's Indonesian events (e05 and e08), written
# apart from them: the same people, places and figures, in another language.
NUSAKAMBANGAN_IN_ENGLISH = Doc(
    key="en-nusakambangan", source="globe", published=1763383800.0 + 6 * 3600,
    title="Minister finds 27 inmates in a cell meant for 10 on Nusakambangan",
    text=("CILACAP - Human Rights Minister Natalius Pigai found 27 inmates crammed into a cell "
          "built for ten when he made an unannounced visit to the Karang Tengah Class IIA prison "
          "on Nusakambangan island on Monday.\n"
          "Pigai crossed by boat from the Wijayapura pier and walked into the cell blocks, "
          "talking to inmates with only a small escort. Prisoners told him their families could "
          "rarely afford the trip to the island, and that the prison clinic had one doctor and "
          "two nurses for everyone.\n"
          "\"What has been taken from them is their freedom of movement, not their dignity,\" "
          "Pigai said. The prison holds 1,126 inmates, more than twice its capacity of 540."))
BATAM_IN_ENGLISH = Doc(
    key="en-batam", source="globe", published=1763710200.0 + 5 * 3600,
    title="Ministry receives 38 trafficking victims sent home from Malaysia",
    text=("BATAM - The Human Rights Ministry on Friday received 38 Indonesian migrant workers, "
          "victims of human trafficking, who were sent home from Malaysia through the Batam "
          "Centre International Port in the Riau Islands.\n"
          "The 27 men and 11 women arrived by ferry from Stulang Laut in Johor Bahru and were met "
          "by a team led by the ministry's director general Arif Budiman Siregar, with BP3MI "
          "Riau Islands and the Riau Islands Police.\n"
          "Malaysian police rescued them in raids on two timber mills in Pasir Gudang, Johor, in "
          "October. They had been recruited on social media with the promise of 2,000 ringgit a "
          "month and had their passports held by agents."))
