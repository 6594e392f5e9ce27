"""Narrative for the synthetic corpus: titles, section headings and paragraphs.

Paragraphs are assembled from sentence pools with the report's own numbers, so two
reports of the same agency type read differently and the narrative's counts agree
with the tables (as the Shanghai 2019 report does).
Part of ``make_corpus``; imports nothing of gongkai.
"""

from __future__ import annotations

import random

# content/format.md §2: canonical headings first, then the variants seen in reports.
HEADINGS = {
    1: ("一、总体情况",),
    2: ("二、主动公开政府信息情况",),
    3: ("三、收到和处理政府信息公开申请情况",),
    4: (
        "四、政府信息公开行政复议、行政诉讼情况",
        "四、因政府信息公开工作被申请行政复议和提起行政诉讼情况",
    ),
    5: (
        "五、存在的主要问题及改进情况",
        "五、政府信息公开工作存在的主要问题及改进情况",
        "五、存在问题及改进情况",
        "五、存在问题和改进措施",
    ),
    6: ("六、其他需要报告的事项",),
}
# The bare titles, for booklet-style PDF conversions (seed 000: "# 总体情况", "## 02 …").
BARE_HEADINGS = {k: v[0].split("、", 1)[1] for k, v in HEADINGS.items()}

SUBHEADS = ("主动公开", "依申请公开", "政府信息管理", "政府信息公开平台建设", "监督保障")
SUB_NUMERALS = ("一", "二", "三", "四", "五")

_FOCUS = (
    "优化营商环境、乡村振兴、民生保障",
    "重大建设项目、公共资源配置、社会公益事业",
    "财政预决算、重点改革任务、为民办实事",
    "安全生产、生态环境保护、食品药品监管",
    "稳就业、保民生、促发展",
    "教育、医疗、养老、住房等民生领域",
)

_ACTIVE = (
    "{year}年，{self}通过政府门户网站、政务新媒体等渠道主动公开政府信息{n_info}条，其中政策文件{n_policy}条、工作动态{n_news}条、通知公告{n_notice}条。",
    "围绕{focus}等重点领域，及时准确发布各类政府信息，全年共发布信息{n_info}条。",
    "严格落实“五公开”要求，将公开贯穿决策、执行、管理、服务、结果全过程，全年更新“政府信息公开”专栏信息{n_info}条。",
    "加强政策解读，对出台的重要政策文件同步开展解读，全年发布解读材料{n_interp}篇，其中图解、视频等多元化解读{n_interp2}篇。",
    "按时公开{year}年部门预算和{prev}年部门决算，主动公开“三公”经费等财政信息。",
    "动态更新机构职能、领导信息、权责清单等基础信息，确保公开内容准确、完整。",
    "坚持“以公开为常态、不公开为例外”原则，依法依规做好政府信息主动公开工作，切实保障人民群众的知情权、参与权和监督权。",
)
_REQUEST_NONE = (
    "{year}年度，{self}未收到政府信息公开申请，未发生因政府信息公开引起的行政复议、行政诉讼。",
    "全年未收到公民、法人或其他组织提出的政府信息公开申请。",
)
_REQUEST = (
    "{year}年，{self}共收到政府信息公开申请{new}件，上年结转{co}件，已办结{done}件，结转下年度继续办理{cf}件。",
    "全年受理依申请公开政府信息{new}件，均在法定期限内予以答复，按时答复率100%。",
    "从申请人类型看，自然人申请{np}件，法人或其他组织申请{org}件。",
    "从办理结果看，予以公开{granted}件，部分公开{partial}件，不予公开{denied}件，无法提供{unable}件，不予处理{notp}件，其他处理{other}件。",
)
_REQUEST_ANY = (
    "进一步规范依申请公开工作流程，明确受理、审查、处理、答复等各环节要求，做到依法依规、按时答复。",
    "更新完善政府信息公开指南，公布依申请公开的受理机构、联系方式和办理流程，畅通申请渠道。",
    "加强与申请人的沟通，对申请内容不明确的及时告知补正，提升答复质量。",
)
_MANAGE = (
    "严格执行政府信息公开保密审查机制，坚持“先审查、后公开”和“一事一审”原则，全年未发生泄密事件。",
    "开展行政规范性文件清理工作，共清理规范性文件{n_clean}件，其中继续有效{n_keep}件。",
    "动态调整主动公开基本目录，对{n_cat}个公开事项进行了梳理更新。",
    "健全政府信息发布审核制度，信息发布严格执行“三审三校”，确保信息安全、准确。",
    "做好政府信息的形成、保存、公开和归档管理，及时对已公开信息进行评估更新。",
)
_PLATFORM = (
    "充分发挥政府门户网站第一平台作用，优化调整“政府信息公开”专栏栏目设置，新增栏目{n_col}个。",
    "政务微信公众号全年发布信息{n_wx}条，政务微博发布信息{n_wb}条，为公众获取政府信息提供便利。",
    "加强政府网站和政务新媒体日常监测，全年开展自查{n_check}次，整改问题{n_fix}个。",
    "利用政务服务大厅、公示栏、电子显示屏等线下渠道，扩大政府信息覆盖面。",
)
_SUPERVISE = (
    "成立由主要负责同志任组长的政务公开工作领导小组，明确{n_staff}名同志负责政府信息公开日常工作。",
    "将政务公开工作纳入年度目标考核，组织开展政务公开业务培训{n_train}次，参训{n_people}人次。",
    "{year}年度未发生因政府信息公开工作引发的责任追究情况。",
    "主动接受社会监督，未收到有关政府信息公开工作的投诉举报。",
    "邀请人大代表、政协委员和群众代表参加“政府开放日”活动{n_open}次，听取意见建议。",
)
_POOLS = (_ACTIVE, _REQUEST_ANY, _MANAGE, _PLATFORM, _SUPERVISE)

_INTRO = (
    "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，现公布{agency}{year}年政府信息公开工作年度报告。本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六部分组成。所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
    "本报告依据《中华人民共和国政府信息公开条例》和{notice}要求编制，统计数据期限为{year}年1月1日至{year}年12月31日。如对本报告有疑问，请与{agency}联系。",
    "{year}年，{self}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，全面推进政务公开工作，现将{year}年度政府信息公开工作情况报告如下。",
)
_NOTICE = {"F2019": "国办公开办函〔2019〕60号", "F2021": "国办公开办函〔2021〕30号"}

_S3_INTRO = ("该部分以表格形式报告。", "本年度收到和处理政府信息公开申请情况如下表。")
_S4_NONE = (
    "{year}年，{self}未发生因政府信息公开引起的行政复议、行政诉讼案件。",
    "本年度无政府信息公开行政复议和行政诉讼情况。",
)
_S4_SOME = "{year}年，{self}因政府信息公开被申请行政复议{rv}件，被提起行政诉讼{lit}件。"

_PROBLEMS = (
    "一是政府信息公开的主动性还不够强，部分栏目更新不及时；二是政策解读形式较为单一，解读的深度和广度有待提升；三是工作人员业务能力有待进一步提高。",
    "{self}政府信息公开工作取得了一定成效，但与上级要求和群众期待相比还存在一定差距：信息公开的及时性、规范性有待加强，依申请公开答复的精细化水平有待提升。",
    "存在的主要问题：一是公开内容不够全面，部分领域信息公开深度不够；二是政务新媒体运营水平不高，互动性不强。",
    "对照上一年度报告提出的问题，{self}已完成栏目清理和信息补录，但政策解读质量仍需提升。",
)
_IMPROVE = (
    "{next}年，{self}将进一步加强组织领导，完善工作机制，及时更新公开内容，推动政府信息公开工作提质增效。",
    "下一步，{self}将加强业务培训，提升工作人员的业务素质；丰富政策解读形式，提升解读质量；规范依申请公开办理流程，确保答复依法规范。",
    "针对上述问题，{self}将强化日常监测，建立栏目更新台账，确保信息发布及时、准确、规范。",
)
_OTHER_F2021 = (
    "依据《政府信息公开信息处理费管理办法》规定，本年度{self}未收取信息处理费。",
    "本年度未收取信息处理费，无其他需要报告的事项。",
    "{year}年，{self}未收取政府信息公开信息处理费。认真落实上级年度政务公开工作要点，各项任务均已按要求完成。",
    "按照《政府信息公开信息处理费管理办法》，本年度共收取信息处理费{fee}元。",
)
_OTHER_F2019 = ("无。", "无其他需要报告的事项。", "无")


def self_reference(agency: str, place: str) -> str:
    """How a report calls its own agency: 我局, 我委, 我办, 我县 …."""
    if agency.endswith("人民政府"):
        return "我" + (place[-1] if place[-1] in "县市区州省旗盟" else "县")
    if agency.endswith(("办公室", "办公厅")):
        return "我办"
    if agency.endswith("委员会"):
        return "我委"
    return "我" + agency[-1]


def title_lines(agency: str, year: int, style: str) -> list[str]:
    if style == "two_lines":
        return [agency, "", f"{year} 年政府信息公开工作年度报告"]
    if style == "spaced":
        return [f"{agency} {year} 年政府信息公开工作年度报告"]
    return [f"{agency}{year}年政府信息公开工作年度报告"]


def _fill(rng: random.Random, pool: tuple[str, ...], k: int, ctx: dict) -> str:
    return "".join(s.format(**ctx) for s in rng.sample(pool, min(k, len(pool))))


def narrative(rng: random.Random, ctx: dict) -> dict[str, list[str]]:
    """The paragraphs of each part: "intro", 1, 3, 4, 5, 6 (2 has no text of its own)."""
    ctx = dict(ctx)
    ctx.update(
        focus=rng.choice(_FOCUS),
        notice=_NOTICE[ctx["format"]],
        n_info=rng.randint(5, 40) * (1 + ctx["size"]),
        n_policy=rng.randint(0, 12),
        n_news=rng.randint(3, 200),
        n_notice=rng.randint(0, 30),
        n_interp=rng.randint(1, 20),
        n_interp2=rng.randint(0, 5),
        n_clean=rng.randint(3, 60),
        n_cat=rng.randint(5, 80),
        n_col=rng.randint(1, 6),
        n_wx=rng.randint(10, 900),
        n_wb=rng.randint(0, 1500),
        n_check=rng.randint(2, 24),
        n_fix=rng.randint(0, 30),
        n_staff=rng.randint(1, 4),
        n_train=rng.randint(1, 6),
        n_people=rng.randint(10, 300),
        n_open=rng.randint(1, 3),
        fee=rng.randint(1, 30) * 100,
    )
    ctx["n_keep"] = rng.randint(0, ctx["n_clean"])
    out: dict = {"intro": [rng.choice(_INTRO).format(**ctx)]}
    s1 = []
    for i, pool in enumerate(_POOLS):
        if i == 1:
            if ctx["new"] + ctx["co"] == 0:
                body = rng.choice(_REQUEST_NONE).format(**ctx)
                if ctx["rv"] + ctx["lit"]:  # a case without an application (rare): say no
                    body = body.split("，未发生")[0].rstrip("。") + "。"  # 未发生…复议、诉讼
            else:
                picks = [_REQUEST[0], *rng.sample(_REQUEST[1:], rng.randint(1, 3))]
                body = "".join(s.format(**ctx) for s in picks)
            body += rng.choice(_REQUEST_ANY).format(**ctx)
        else:
            body = _fill(rng, pool, rng.randint(1, 3), ctx)
        s1.append(body)
    out[1] = s1
    out[3] = [rng.choice(_S3_INTRO)] if rng.random() < 0.3 else []
    if ctx["rv"] + ctx["lit"]:
        out[4] = [_S4_SOME.format(**ctx)]
    else:
        out[4] = [rng.choice(_S4_NONE).format(**ctx)] if rng.random() < 0.6 else []
    out[5] = [rng.choice(_PROBLEMS).format(**ctx), rng.choice(_IMPROVE).format(**ctx)]
    if ctx["format"] == "F2021":
        out[6] = [
            rng.choice(_OTHER_F2021[:3] if rng.random() < 0.9 else _OTHER_F2021).format(**ctx)
        ]
    else:
        out[6] = [rng.choice(_OTHER_F2019)]
    return out


def subhead(i: int, style: str) -> str:
    """The label of overview sub-head i (0-based): （一）主动公开情况 and variants."""
    name = SUBHEADS[i] + ("情况" if style != "plain" else "")
    if style == "halfwidth":
        return f"({SUB_NUMERALS[i]}){name}"
    if style == "digits":
        return f"{i + 1}.{name}"
    return f"（{SUB_NUMERALS[i]}）{name}"
