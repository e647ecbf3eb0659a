"""The bilingual message catalogue of the negotiation engine (zh-CN first, en complete).

Entries are ``str.format`` templates keyed by message id; :mod:`accord.negotiation.reasons`
renders them. ``TERMS`` translates term keys passed in ``*_term`` parameters.
"""

from __future__ import annotations

from typing import Final

TERMS: Final[dict[str, dict[str, str]]] = {
    "zh-CN": {
        "food": "食品",
        "housing_utilities": "居住（含水电燃气）",
        "transport": "交通通信",
        "education": "教育",
        "medical": "医疗",
        "national": "全国",
        "urban": "城镇",
        "rural": "农村",
        "job_loss": "失业",
        "illness": "疾病",
        "business_downturn": "经营困难",
        "family_event": "家庭变故",
        "disaster": "灾害",
        "other": "其他",
        "lowest_payment": "月供最低",
        "shortest_term": "期限最短",
        "settlement": "一次性结清",
        "restructure": "个性化分期",
        "creditor": "债权人",
        "debtor": "债务人",
        "mediator": "调解员",
    },
    "en": {
        "food": "food",
        "housing_utilities": "housing and utilities",
        "transport": "transport and communication",
        "education": "education",
        "medical": "medical",
        "national": "national",
        "urban": "urban",
        "rural": "rural",
        "job_loss": "job loss",
        "illness": "illness",
        "business_downturn": "business downturn",
        "family_event": "family event",
        "disaster": "disaster",
        "other": "other",
        "lowest_payment": "lowest monthly payment",
        "shortest_term": "shortest term",
        "settlement": "lump-sum settlement",
        "restructure": "instalment restructure",
        "creditor": "creditor",
        "debtor": "debtor",
        "mediator": "mediator",
    },
}

CATALOGUE: Final[dict[str, dict[str, str]]] = {
    # ---- affordability ------------------------------------------------------------------
    "afford.below_norm": {
        "zh-CN": "申报的{category_term}支出{declared}/月，比{size}人{region_term}家庭的参考水平"
        "{norm}/月低{pct}%（国家统计局{year}年数据），需人工复核。",
        "en": "declared {category_term} spending of {declared}/month is {pct}% below the "
        "{region_term} norm of {norm}/month for a household of {size} (NBS {year}); "
        "flagged for review.",
    },
    "afford.above_norm": {
        "zh-CN": "申报的{category_term}支出{declared}/月，比{size}人{region_term}家庭的参考水平"
        "{norm}/月高{pct}%（国家统计局{year}年数据），需人工复核。",
        "en": "declared {category_term} spending of {declared}/month is {pct}% above the "
        "{region_term} norm of {norm}/month for a household of {size} (NBS {year}); "
        "flagged for review.",
    },
    "afford.no_surplus": {
        "zh-CN": "申报的必要支出和其他债务月供超过收入{deficit}，目前没有可持续的还款能力。",
        "en": "declared essential expenses and other debt payments exceed income by {deficit} "
        "a month; there is no sustainable repayment capacity now.",
    },
    "afford.other_debt_heavy": {
        "zh-CN": "其他债务月供占收入的{pct}%，需核实。",
        "en": "other debt payments take {pct}% of income; please verify.",
    },
    "afford.job_loss_with_wages": {
        "zh-CN": "困难原因为失业，但申报了工资收入{wages}/月（可能已再就业），需核实。",
        "en": "the hardship reason is job loss but wages of {wages}/month are declared (perhaps "
        "a new job); please confirm.",
    },
    "afford.no_evidence": {
        "zh-CN": "困难原因（{hardship_term}）未附证明材料。",
        "en": "no evidence is attached for the hardship reason ({hardship_term}).",
    },
    "afford.observed_paid_more": {
        "zh-CN": "过去{months}个月平均每月还款{average}，高于申报的月结余{surplus}，需核实。",
        "en": "over the last {months} months the debtor paid {average} a month on average, more "
        "than the declared monthly surplus of {surplus}; please verify.",
    },
    "afford.observed_no_payment": {
        "zh-CN": "过去{months}个月没有还款记录，但申报的月结余为{surplus}。",
        "en": "no payment was made in the last {months} months although the declared monthly "
        "surplus is {surplus}.",
    },
    "afford.liquid_covers_debt": {
        "zh-CN": "申报的流动资产{liquid}足以覆盖欠款{owed}。",
        "en": "declared liquid assets of {liquid} cover the amount owed of {owed}.",
    },
    "afford.summary": {
        "zh-CN": "月收入{income}，扣除必要支出{expenses}和其他债务月供{other}后结余{surplus}；"
        "保留{margin}%的安全余量，可持续的月还款额为{payment}。",
        "en": "monthly income of {income} less essential expenses of {expenses} and other debt "
        "payments of {other} leaves {surplus}; keeping a {margin}% safety margin, a sustainable "
        "monthly payment is {payment}.",
    },
    "afford.summary_capped": {
        "zh-CN": "月收入{income}，扣除必要支出{expenses}和其他债务月供{other}后结余{surplus}；"
        "月还款额不超过收入的{share}%，可持续的月还款额为{payment}。",
        "en": "monthly income of {income} less essential expenses of {expenses} and other debt "
        "payments of {other} leaves {surplus}; capping repayments at {share}% of income, a "
        "sustainable monthly payment is {payment}.",
    },
    "afford.summary_none": {
        "zh-CN": "月收入{income}不足以支付必要支出{expenses}和其他债务月供{other}，"
        "目前无法承担分期还款。",
        "en": "monthly income of {income} does not cover essential expenses of {expenses} and "
        "other debt payments of {other}; no instalment plan is affordable now.",
    },
}
