"""The words around the data, in both languages: one table for all frame text.

Labels, definitions and reasons come from the graph; everything a view writes
around them — headings, column names, units, messages, errors and
did-you-mean lines — comes from :data:`WORDS` through :func:`t`. Chinese text
uses full-width punctuation (``：，；（）``) and the units 小时 and 周.

:func:`pick` is the one language fallback for ``{lang: text}`` maps: the
language asked for, then untagged text, then English, then Chinese, then
anything. Numbers are rounded as people write them (:func:`number`).

Examples
--------
>>> t("steps_total", "en", n=3, total=hours(17.0, "en"))
'3 steps, 17 h in all'
>>> t("steps_total", "zh", n=3, total=hours(17.0, "zh"))
'共 3 步，合计 17 小时'
>>> pick({"en": "Python", "zh": "Python 编程"}, "zh"), pick({"": "plain"}, "zh")
('Python 编程', 'plain')
>>> weeks(64.58, "en"), weeks(64.58, "zh"), weeks(2.25, "en")
('about 65 weeks', '约 65 周', 'about 2.3 weeks')
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

#: The languages of the graph and of every view; the first is the graph's own.
LANGS = ("zh", "en")
DEFAULT_LANG = "en"


def default_lang() -> str:
    """``$AIPATH_LANG`` when it names a language, else English.

    >>> default_lang() in LANGS
    True
    """
    lang = os.environ.get("AIPATH_LANG", "").strip().lower()[:2]
    return lang if lang in LANGS else DEFAULT_LANG


def check_lang(lang: str) -> str:
    """Return ``lang`` when it is one of :data:`LANGS`; raise a usage error otherwise.

    >>> check_lang("zh")
    'zh'
    """
    if lang not in LANGS:
        from .errors import UsageError

        raise UsageError(key="bad_lang", langs=", ".join(LANGS), value=lang)
    return lang


def pick(texts: Mapping[str, str] | None, lang: str = DEFAULT_LANG) -> str | None:
    """The text of ``texts`` in ``lang``, falling back to untagged, English, Chinese, any.

    >>> pick({"zh": "微调"}, "en"), pick({}, "en")
    ('微调', None)
    """
    if not texts:
        return None
    for key in (lang, "", "en", "zh"):
        if texts.get(key):
            return texts[key]
    return next((v for v in texts.values() if v), None)


def pick_list(texts: Mapping[str, list[str]] | None, lang: str = DEFAULT_LANG) -> list[str]:
    """Like :func:`pick`, for ``{lang: [texts]}`` (a role's responsibilities).

    >>> pick_list({"zh": ["甲"], "en": ["A", "B"]}, "en")
    ['A', 'B']
    """
    if not texts:
        return []
    key = next((k for k in (lang, "", "en", "zh") if texts.get(k)), None)
    return list(texts[key]) if key is not None else next(iter(texts.values()), [])


def number(x: float) -> str:
    """A number as people write it: whole from 10 up, one decimal below, no ``.0``.

    >>> number(64.58), number(2.25), number(3.0), number(0.5), number(810.0)
    ('65', '2.3', '3', '0.5', '810')
    >>> number(float("inf"))
    'inf'
    """
    if x != x or x in (float("inf"), float("-inf")):
        return str(x)
    step = Decimal("1") if abs(x) >= 10 else Decimal("0.1")
    text = str(Decimal(str(x)).quantize(step, rounding=ROUND_HALF_UP))
    return text[:-2] if text.endswith(".0") else text


def hours(h: float, lang: str) -> str:
    """``17 h`` or ``17 小时``.

    >>> hours(2.5, "en"), hours(120, "zh")
    ('2.5 h', '120 小时')
    """
    return t("hours", lang, n=number(h))


def weeks(w: float, lang: str) -> str:
    """``about 65 weeks`` or ``约 65 周``."""
    return t("weeks", lang, n=number(w))


def join(items: Iterable[str], lang: str) -> str:
    """A list in running text: ``a, b`` or ``a、b``.

    >>> join(["甲", "乙"], "zh"), join(["a", "b"], "en")
    ('甲、乙', 'a, b')
    """
    return ("、" if lang == "zh" else ", ").join(items)


def named(label: str, node: str, lang: str) -> str:
    """A label with its id: ``Label (id)`` or ``标签（id）``; the id alone when they match.

    >>> named("微调技术", "fine-tuning", "zh"), named("x", "x", "en")
    ('微调技术（fine-tuning）', 'x')
    """
    if label == node:
        return node
    return f"{label}（{node}）" if lang == "zh" else f"{label} ({node})"


def t(key: str, lang: str, **params: Any) -> str:
    """The frame text ``key`` in ``lang`` (English when the key has no Chinese), formatted.

    >>> t("none", "zh"), t("none", "en")
    ('（无）', '(none)')
    """
    en, zh = WORDS[key]
    return (zh if lang == "zh" else en).format(**params)


def words(lang: str, prefix: str = "") -> dict[str, str]:
    """Every entry of :data:`WORDS` whose key starts with ``prefix``, in ``lang`` (unformatted).

    >>> words("zh", "type.")["type.Skill"]
    '技能'
    """
    return {
        k: (zh if lang == "zh" else en) for k, (en, zh) in WORDS.items() if k.startswith(prefix)
    }


def kind(name: str | None, lang: str) -> str:
    """The word for an edge kind (``requires`` → 需要); the kind itself when unknown.

    >>> kind("essential", "zh"), kind("made-up", "en")
    ('必备', 'made-up')
    """
    key = f"kind.{name}"
    return t(key, lang) if key in WORDS else str(name or "")


def type_name(name: str | None, lang: str) -> str:
    """The word for a node type (``Skill`` → 技能)."""
    key = f"type.{name}"
    return t(key, lang) if key in WORDS else str(name or "")


#: key → (English, Chinese). Placeholders are ``str.format`` fields.
WORDS: dict[str, tuple[str, str]] = {
    # units, lists, truth values
    "hours": ("{n} h", "{n} 小时"),
    "weeks": ("about {n} weeks", "约 {n} 周"),
    "per_week": ("{n} h/week", "每周 {n} 小时"),
    "months": ("{range} months", "{range} 个月"),
    "none": ("(none)", "（无）"),
    "true": ("true", "是"),
    "false": ("false", "否"),
    "colon": (": ", "："),
    "error": ("error: {message}", "错误：{message}"),
    "warning": ("warning: {message}", "警告：{message}"),
    "wrote": ("wrote {path}", "已写入 {path}"),
    # plans
    "plan_for": ("Plan for {targets}", "学习计划：{targets}"),
    "plan_md_title": ("# Learning plan: {targets}", "# 学习计划：{targets}"),
    "steps_total": ("{n} steps, {total} in all", "共 {n} 步，合计 {total}"),
    "critical": (
        "critical path {crit} (the least time with parallel study)",
        "关键路径 {crit}（并行学习时的最短用时）",
    ),
    "summary_sep": ("; ", "；"),
    "pace": (
        "at {pace}: {weeks} one at a time, {cweeks} along the critical path",
        "{pace}：逐项学习{weeks}，沿关键路径{cweeks}",
    ),
    "choice_known": ("already known", "已掌握"),
    "choice_least": (
        "the least total effort (a tie goes to the first id)",
        "总时长最少（时长相同时取 id 靠前者）",
    ),
    "rather_than": (", rather than {others}", "，而非 {others}"),
    "greedy": (
        "options chosen by the greedy heuristic (too many combinations)",
        "选项由贪心启发式选出（组合过多）",
    ),
    "nothing_to_learn": (
        "nothing to learn: every target is already known",
        "无需再学：目标均已掌握",
    ),
    "phase": ("Phase {n}", "第 {n} 轮"),
    "learning_now": ("(learning)", "（学习中）"),
    "in_progress": ("in progress", "学习中"),
    "critical_mark": ("* on the critical path", "* 关键路径上的步骤"),
    # path, next, gap, compare
    "path_head": (
        "{a} → {b}: {n} steps, {effort} along this chain; the full plan is `{plan}`",
        "{a} → {b}：{n} 步，此链合计 {effort}；完整计划见 `{plan}`",
    ),
    "start": ("start", "起点"),
    "unlocks_list": ("unlocks {items}", "解锁 {items}"),
    "nothing_next": (
        "nothing to learn next: everything in reach is known",
        "暂无可学内容：力所能及的都已掌握",
    ),
    "gap_to": ("Gap to {role}", "与{role}的差距"),
    "have": ("have", "已具备"),
    "missing": ("missing", "欠缺"),
    "optional_missing": ("optional, missing", "加分项（欠缺）"),
    "shared": ("shared", "共同技能"),
    "only": ("only {role}", "仅{role}需要"),
    "count_title": ("{title} ({n}):", "{title}（{n}）："),
    # show
    "show.label": ("label", "名称"),
    "show.alt": ("also called", "别名"),
    "show.definition": ("definition", "定义"),
    "show.note": ("note", "注"),
    "show.effort": ("effort", "学习时长"),
    "show.stage": ("stage", "引入阶段"),
    "show.focus": ("focus", "侧重"),
    "show.typical_work": ("typical work", "典型工作"),
    "show.responsibilities": ("responsibilities", "职责"),
    "show.goal": ("goal", "目标"),
    "show.months": ("months", "时间"),
    "show.essential": ("essential skills", "必备技能"),
    "show.optional": ("optional skills", "加分技能"),
    "show.covers": ("content", "学习内容"),
    "show.stage_projects": ("projects", "实践项目"),
    "show.practises": ("skills practised", "练习的技能"),
    "show.use_cases": ("use cases", "应用场景"),
    "show.applies": ("skills applied", "应用的技能"),
    "show.prerequisites": ("prerequisites", "前置要求"),
    "show.unlocks": ("unlocks", "解锁"),
    "show.roles": ("roles that need it", "需要它的岗位"),
    "show.projects": ("practised in", "实践项目"),
    "show.tools": ("used by", "相关工具"),
    "show.serves": ("used for", "用于"),
    "show.resources": ("learn from", "学习资源"),
    "show.teaches": ("teaches", "讲授"),
    "show.exact_match": ("exact match", "等同概念"),
    "show.close_match": ("close match", "相近概念"),
    "see_above": ("(see above)", "（见上文）"),
    # column headers of prereqs / dependents
    "col.id": ("id", "id"),
    "col.label": ("label", "名称"),
    "col.type": ("type", "类型"),
    "col.direct": ("direct", "直接"),
    "col.kind": ("kind", "关系"),
    "col.reason": ("reason", "理由"),
    # stats
    "stats.triples": ("triples: {n}", "三元组：{n}"),
    "stats.nodes": ("nodes per class:", "各类节点数："),
    "stats.edges": ("edges per relation:", "各关系边数："),
    "stats.labels": ("label coverage:", "标签覆盖："),
    "stats.depth": ("prerequisite DAG depth: {n}", "前置关系图深度：{n}"),
    "stats.effort": ("total effort of learnable nodes: {h}", "可学节点总时长：{h}"),
    "stats.fit": (
        "stage fit (the path planned stage by stage, vs months at 10-15 h/week):",
        "阶段用时核对（逐阶段规划的路径，对照每周 10–15 小时的月数）：",
    ),
    "verdict.fits": ("fits", "合适"),
    "verdict.tight": ("tight", "偏紧"),
    "verdict.loose": ("loose", "宽松"),
    "verdict.too much": ("too much", "过多"),
    "verdict.too little": ("too little", "过少"),
    "verdict.open-ended": ("open-ended", "不限期"),
    # validate
    "valid": ("valid: {n} triples, {w} warnings", "有效：{n} 个三元组，{w} 条警告"),
    "invalid": ("invalid: {n} errors", "无效：{n} 个错误"),
    # named queries
    "queries.param": ("--param {name}=…", "--param {name}=…"),
    # errors (the English text is the message of the exception)
    "unknown_term": ("unknown term {term!r}", "未知名称「{term}」"),
    "did_you_mean": ("; did you mean: {names}?", "；您是否要找：{names}？"),
    "ambiguous": (
        "{term!r} is ambiguous; use one of: {names}",
        "「{term}」有多个含义，请选用：{names}",
    ),
    "not_in_prereq_graph": (
        "{term!r} ({node}) has no place in the prerequisite graph",
        "「{term}」（{node}）不在前置关系图中",
    ),
    "ignoring_known": ("ignoring known item: {message}", "忽略已掌握项：{message}"),
    "not_in_graph_ignored": (
        "{node!r} is not in the prerequisite graph; ignored",
        "「{node}」不在前置关系图中，已忽略",
    ),
    "say_what_to_learn": (
        "say what to learn: --to TERM, --goal TEXT (or goals: in --profile)",
        "请说明要学什么：--to 名称、--goal 文字（或在 --profile 中写 goals:）",
    ),
    # aipath search: why a node matched, and the table's columns
    "search.name": ("name", "名称"),
    "search.mention": ("mentions", "提到"),
    "search.label": ("label", "标签"),
    "search.alt": ("alt label", "别名"),
    "search.id": ("id", "id"),
    "search.definition": ("definition", "定义"),
    "search.reason": ("reason", "理由"),
    "search.typo": ("read", "纠正"),
    "search.score": ("score", "得分"),
    "search.label_col": ("label", "名称"),
    "search.type": ("type", "类型"),
    "search.why": ("why", "匹配原因"),
    "search.none": ("no node matches {text!r}", "没有与“{text}”匹配的节点"),
    "role_map_title": ("{name}: skill map", "{name} · 技能图谱"),
    "goal_none": (
        "no skill, tool, project or role matches the goal {goal!r}; "
        "try other words, or: aipath search {goal}",
        "没有与目标“{goal}”匹配的技能、工具、项目或岗位；请换个说法，或运行：aipath search {goal}",
    ),
    "goal_chosen": (
        "goal {goal!r} → {label} ({id}, score {score}): {why}",
        "目标“{goal}”→ {label}（{id}，得分 {score}）：{why}",
    ),
    "goal_close": (
        "also close: {others}; plan to one of them with --to ID",
        "相近的还有：{others}；如需改用，请用 --to ID",
    ),
    "say_what_to_learn_api": ("say what to learn: to=TERM", "请说明要学什么：to=名称"),
    "not_a_role": (
        "{term!r} is a {type}, not a role or career level",
        "「{term}」是{type}，不是岗位或职级",
    ),
    "bad_lang": (
        "lang must be one of {langs}, not {value!r}",
        "lang 只能是 {langs}，不能是「{value}」",
    ),
    "too_many_terms": ("at most {n} names in one request", "一次请求最多 {n} 个名称"),
    "bad_flag": (
        "{name} must be true or false, not {value!r}",
        "{name} 只能是 true 或 false，不能是「{value}」",
    ),
    "bad_number": (
        "{name} must be a number, not {value!r}",
        "{name} 必须是数字，不能是「{value}」",
    ),
    "bad_positive": (
        "{name} must be a positive number, not {value!r}",
        "{name} 必须是正数，不能是「{value}」",
    ),
    "bad_range": (
        "{name} must be a number from {low} to {high}",
        "{name} 必须是 {low} 到 {high} 之间的数字",
    ),
    "body_not_json": ("the request body is not JSON", "请求体不是 JSON"),
    "bad_type": (
        "type must be one of {types}, not {value!r}",
        "type 只能是 {types}，不能是「{value}」",
    ),
    "body_too_deep": (
        "the request body is nested too deeply; send a flat JSON object",
        "请求体嵌套过深，请发送扁平的 JSON 对象",
    ),
    "body_not_object": ("the request body must be a JSON object", "请求体必须是 JSON 对象"),
    "need_from_to": ("give both from=TERM and to=TERM", "请同时给出 from=名称 和 to=名称"),
    "empty_query": (
        "the query is empty: give a SPARQL query, -f FILE or --name NAME",
        "查询为空：请给出 SPARQL 查询、-f 文件或 --name 名称",
    ),
    "one_query": (
        "give exactly one of QUERY, -f FILE or --name NAME (or --list)",
        "请只给出 QUERY、-f 文件、--name 名称（或 --list）中的一项",
    ),
    "port_busy": (
        "port {port} on {host} is in use; pick another with --port (0: any free port)",
        "{host} 的端口 {port} 已被占用；请用 --port 另选（0：任一空闲端口）",
    ),
    "no_path_swap": (
        "{source!r} is not a prerequisite of {target!r} ({target!r} is a prerequisite of "
        "{source!r}: swap them)",
        "「{source}」不是「{target}」的前置（「{target}」是「{source}」的前置：请交换两者）",
    ),
    "no_path": (
        "{source!r} is not a prerequisite of {target!r} (and neither is a prerequisite of the other)",
        "「{source}」不是「{target}」的前置（两者互不为前置）",
    ),
    "bad_by": (
        "by must be 'effort' or 'hops', not {value!r}",
        "by 只能是 effort 或 hops，不能是「{value}」",
    ),
    "goes_with": ("{option} goes with {other}", "{option} 需与 {other} 一起使用"),
    "not_together": (
        "{option} cannot be combined with {other}",
        "{option} 不能与 {other} 同时使用",
    ),
    "param_kv": (
        "--param needs KEY=VALUE, not {value!r}",
        "--param 需要 KEY=VALUE，不能是「{value}」",
    ),
    "tree_direct": ("--tree and --direct do not go together", "--tree 与 --direct 不能同时使用"),
    # titles of the named queries (English: the first line of each .rq file)
    "query.dependents": ("", "节点的后续内容：学会它可解锁什么（直接与间接）。"),
    "query.longest-chains": ("", "最长的前置链：每个技能或工具位于多深。"),
    "query.prerequisites": ("", "节点的前置要求（直接与间接），附理由。"),
    "query.projects-for-skill": ("", "练习某技能或工具的实践项目（aip:practises）及其阶段。"),
    "query.resources-for-skill": ("", "讲授某技能或工具的学习资源（aip:teaches）。"),
    "query.role-needs": ("", "岗位（或职级）的需要：必备与加分的技能和工具。"),
    "query.skills-without-resources": ("", "没有任何学习资源讲授的技能（无 aip:teaches 指向）。"),
    "query.stage-covers": ("", "学习阶段的内容：学习内容与实践项目。"),
    "query.tools-for-skill": ("", "某技能的工具：用于它的工具（aip:serves）及它需要的工具。"),
    # the web explorer's page (aipath_graph/server/web), served at /api/words
    "web.title": ("AI engineer path explorer", "AI 工程师进阶之路 · 图谱浏览"),
    "web.nav_explore": ("Explore", "浏览"),
    "web.nav_plan": ("Plan", "学习计划"),
    "web.nav_sparql": ("SPARQL", "SPARQL"),
    "web.explore_title": ("Find a skill or role", "查找技能或岗位"),
    "web.search_label": ("Search", "搜索"),
    "web.search_placeholder": (
        "fine-tuning, 微调技术, AI工程师 …",
        "微调技术、fine-tuning、AI工程师 …",
    ),
    "web.add_known": ("I know this", "我已掌握"),
    "web.set_target": ("Plan to learn this", "设为学习目标"),
    "web.prereq_tree": ("Prerequisite tree", "前置知识树"),
    "web.unlocks": ("What it unlocks", "学会后可解锁"),
    "web.roles": ("Roles that need it", "需要它的岗位"),
    "web.plan_title": ("Build a learning plan", "制定学习计划"),
    "web.have_label": ("What I know (comma-separated)", "我已掌握（逗号分隔）"),
    "web.have_placeholder": ("python-basics, 线性代数", "Python编程基础, 线性代数"),
    "web.target_label": ("Target", "目标"),
    "web.hours_label": ("Hours a week", "每周学习小时"),
    "web.plan_button": ("Make the plan", "生成计划"),
    "web.steps": ("Steps", "步骤"),
    "web.map": ("Map", "图谱"),
    "web.sparql_title": ("SPARQL query", "SPARQL 查询"),
    "web.run": ("Run", "运行"),
    "web.sparql_help": (
        "Read-only; prefixes aip:, id:, skos:, rdf:, rdfs: are predeclared. Endpoint:",
        "只读；已预设前缀 aip:、id:、skos:、rdf:、rdfs:。端点：",
    ),
    "web.footer": (
        "Data: the AI工程师进阶之路 roadmap (MIT), curated. JSON API at",
        "数据：《AI工程师进阶之路》（MIT 许可），经整理。JSON 接口：",
    ),
    "web.no_results": ("Nothing matches.", "没有匹配项。"),
    "web.none": ("(none)", "（无）"),
    "web.phase": ("Phase", "阶段"),
    "web.effort": ("effort", "学习量"),
    "web.stage": ("stage", "学习阶段"),
    "web.working": ("Working…", "处理中…"),
    "web.no_prereqs": ("Nothing to learn first.", "无需前置知识。"),
    "web.nothing": ("Nothing to learn: the target is already known.", "无需学习：目标已掌握。"),
    "web.row": ("{n} row", "{n} 行"),
    "web.rows": ("{n} rows", "{n} 行"),
    "web.ask": ("ASK: {b}", "ASK：{b}"),
    "web.graph_result": (
        "The query returned a graph (shown as Turtle).",
        "查询返回一个图（以 Turtle 显示）。",
    ),
    # node types
    "type.Skill": ("skill", "技能"),
    "type.Tool": ("tool", "工具"),
    "type.Project": ("project", "实践项目"),
    "type.Role": ("role", "岗位"),
    "type.CareerLevel": ("career level", "职级"),
    "type.Stage": ("stage", "学习阶段"),
    "type.UseCase": ("use case", "应用场景"),
    "type.Domain": ("domain", "行业"),
    "type.Resource": ("resource", "学习资源"),
    "type.Trend": ("trend", "趋势"),
    "type.Category": ("category", "分类"),
    "type.AnyOf": ("any one of", "任选其一"),
    "type.Unknown": ("unknown", "未知"),
    # edge kinds
    "kind.requires": ("requires", "需要"),
    "kind.part": ("part", "组成部分"),
    "kind.any": ("any of", "任选其一"),
    "kind.option": ("option", "可选项"),
    "kind.essential": ("essential", "必备"),
    "kind.optional": ("optional", "加分"),
    "kind.level": ("next level", "晋升"),
    "kind.practises": ("practises", "练习"),
    "kind.applies": ("applies", "应用"),
    "kind.covers": ("covers", "学习内容"),
    "kind.serves": ("serves", "用于"),
    "kind.teaches": ("teaches", "讲授"),
    "kind.in_domain": ("in domain", "所属行业"),
    "kind.relates": ("relates to", "相关"),
    "kind.in_stage": ("in stage", "所属阶段"),
    "kind.in_category": ("in category", "所属分类"),
    "kind.required": ("required", "需要"),
    "kind.start": ("start", "起点"),
}

__all__ = [
    "DEFAULT_LANG",
    "LANGS",
    "WORDS",
    "check_lang",
    "default_lang",
    "hours",
    "join",
    "kind",
    "named",
    "number",
    "pick",
    "pick_list",
    "t",
    "type_name",
    "weeks",
    "words",
]
