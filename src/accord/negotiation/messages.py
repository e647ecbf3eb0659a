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
        "interest_freeze": "停息挂账",
        "rate_reduction": "降低利率",
        "principal_reduction": "减免部分本金",
        "payment_holiday": "还款宽限期",
        "step_up": "阶梯还款",
        "collections": "催收/诉讼",
        "debt_sale": "债权转让",
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
        "interest_freeze": "interest freeze",
        "rate_reduction": "rate reduction",
        "principal_reduction": "principal reduction",
        "payment_holiday": "payment holiday",
        "step_up": "step-up payments",
        "collections": "collections and litigation",
        "debt_sale": "a debt sale",
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
    # ---- plans -----------------------------------------------------------------------------
    "plan.restructure": {
        "zh-CN": "{features_terms}：共{months}期，首期{first}，"
        "最高月供{largest}，合计还款{total}，为欠款{owed}的{total_pct}%。与不达成协议相比："
        "不协商时费用将按年化最高{cap}%继续累积，并可能产生诉讼费用和征信损害，折现后约{batna}；"
        "本方案折现后约{cost}，约可节省{saving}。12个月内再次逾期的概率约{p12}%。"
        "对债权人而言，本方案预期价值约{cvalue}，高于{path_term}的约{cbatna}。",
        "en": "{features_terms}: {months} months, first "
        "payment {first}, largest {largest}, {total} in all, {total_pct}% of the {owed} owed. "
        "Compared with no agreement: charges of up to {cap}% a year would keep accruing, with "
        "legal costs and credit-record damage, about {batna} in today's money; this plan costs "
        "about {cost}, a saving of about {saving}. Chance of falling behind again within 12 "
        "months: about {p12}%. For the creditor it is worth about {cvalue}, more than the "
        "{cbatna} expected from {path_term}.",
    },
    "plan.restructure_holiday": {
        "zh-CN": "{features_terms}：共{months}期（前{holiday}期免还款），首期{first}，"
        "最高月供{largest}，合计还款{total}，为欠款{owed}的{total_pct}%。与不达成协议相比："
        "不协商时费用将按年化最高{cap}%继续累积，并可能产生诉讼费用和征信损害，折现后约{batna}；"
        "本方案折现后约{cost}，约可节省{saving}。12个月内再次逾期的概率约{p12}%。"
        "对债权人而言，本方案预期价值约{cvalue}，高于{path_term}的约{cbatna}。",
        "en": "{features_terms}: {months} months, the first {holiday} payment-free, first "
        "payment {first}, largest {largest}, {total} in all, {total_pct}% of the {owed} owed. "
        "Compared with no agreement: charges of up to {cap}% a year would keep accruing, with "
        "legal costs and credit-record damage, about {batna} in today's money; this plan costs "
        "about {cost}, a saving of about {saving}. Chance of falling behind again within 12 "
        "months: about {p12}%. For the creditor it is worth about {cvalue}, more than the "
        "{cbatna} expected from {path_term}.",
    },
    "plan.settlement": {
        "zh-CN": "一次性结清：一个月内支付{total}，为欠款{owed}的{total_pct}%（减免{discount}%）。"
        "与不达成协议相比：不协商时费用将按年化最高{cap}%继续累积，并可能产生诉讼费用和征信损害，"
        "折现后约{batna}；本方案折现后约{cost}，约可节省{saving}。"
        "对债权人而言，本方案预期价值约{cvalue}，高于{path_term}的约{cbatna}。",
        "en": "lump-sum settlement: pay {total} within a month, {total_pct}% of the {owed} owed "
        "({discount}% waived). Compared with no agreement: charges of up to {cap}% a year would "
        "keep accruing, with legal costs and credit-record damage, about {batna} in today's "
        "money; this settlement costs about {cost}, a saving of about {saving}. For the creditor "
        "it is worth about {cvalue}, more than the {cbatna} expected from {path_term}.",
    },
    # ---- BATNAs ----------------------------------------------------------------------------
    "batna.creditor": {
        "zh-CN": "不达成协议时，债权人的最佳选择是{path_term}，预期价值约{value}（欠款{owed}；"
        "催收/诉讼：成功概率{success}%，约{months}个月，法律费用约欠款的{legal}%，折现约"
        "{collections}；按{sale_pct}%出售债权约{sale}）。",
        "en": "without an agreement the creditor's best path is {path_term}, worth about {value} "
        "today (owed {owed}; collections and litigation: {success}% success after about "
        "{months} months, legal costs {legal}% of the debt, about {collections}; a debt sale at "
        "{sale_pct}%: {sale}).",
    },
    "batna.debtor": {
        "zh-CN": "不达成协议时，欠款{owed}在约{months}个月内按年化最高{cap}%累积费用约{charges}，"
        "另有诉讼费用约{legal}和征信损害（按{damage_months}个月收入计约{damage}），"
        "折现后合计约{cost}。",
        "en": "without an agreement, charges of up to {cap}% a year on the {owed} owed add about "
        "{charges} over some {months} months, plus legal costs of about {legal} and "
        "credit-record damage (valued at {damage_months} months of income, {damage}): about "
        "{cost} in today's money.",
    },
    # ---- no deal ---------------------------------------------------------------------------
    "nodeal.unaffordable": {
        "zh-CN": "在政策和监管限度内没有可负担的方案：可持续月还款额为{sustainable}，"
        "最低月供方案也需{smallest}；可用于一次性结清的资金为{lump}。",
        "en": "no plan within policy and legal limits is affordable: the sustainable payment is "
        "{sustainable} a month, the lowest-payment plan needs {smallest}, and {lump} is "
        "available for a settlement.",
    },
    "nodeal.creditor_batna": {
        "zh-CN": "可负担的方案对债权人的最高预期价值约{best}，低于{path_term}的约{batna}，"
        "因此没有双方都优于不协商的方案。",
        "en": "the best affordable plan is worth about {best} to the creditor, less than the "
        "{batna} expected from {path_term}, so no plan beats no agreement for both sides.",
    },
    "nodeal.debtor_batna": {
        "zh-CN": "所有可负担的方案对债务人的成本都高于不协商的约{batna}。",
        "en": "every affordable plan would cost the debtor more than no agreement (about {batna}).",
    },
    "nodeal.no_overlap": {
        "zh-CN": "对债权人有利的方案对债务人不利，反之亦然，没有双方都优于不协商的方案。",
        "en": "the plans that beat no agreement for the creditor are worse than no agreement "
        "for the debtor and vice versa.",
    },
    # ---- limits and approvals ----------------------------------------------------------------
    "limit.term": {
        "zh-CN": "期限{months}个月超过上限{limit}个月。",
        "en": "a term of {months} months exceeds the limit of {limit}.",
    },
    "limit.holiday": {
        "zh-CN": "宽限期{months}个月超过上限{limit}个月。",
        "en": "a payment holiday of {months} months exceeds the limit of {limit}.",
    },
    "limit.no_payments": {
        "zh-CN": "{months}个月的方案没有任何还款期。",
        "en": "a {months}-month plan has no payment at all.",
    },
    "limit.haircut": {
        "zh-CN": "本金减免{pct}%超过政策上限{limit}%。",
        "en": "a principal reduction of {pct}% exceeds the policy limit of {limit}%.",
    },
    "limit.discount": {
        "zh-CN": "结清减免{pct}%超过政策上限{limit}%。",
        "en": "a settlement discount of {pct}% exceeds the policy limit of {limit}%.",
    },
    "limit.min_recovery": {
        "zh-CN": "回收{pct}%低于政策最低回收比例{limit}%。",
        "en": "recovering {pct}% is below the policy minimum of {limit}%.",
    },
    "limit.freeze": {
        "zh-CN": "政策不允许停息挂账。",
        "en": "the policy does not allow an interest freeze.",
    },
    "limit.rate": {
        "zh-CN": "年利率{rate}超过上限{limit}。",
        "en": "an annual rate of {rate} exceeds the cap of {limit}.",
    },
    "approval.haircut": {
        "zh-CN": "本金减免{pct}%超过自动审批上限{limit}%，需人工审批。",
        "en": "a principal reduction of {pct}% exceeds the auto-approval limit of {limit}%; "
        "staff approval needed.",
    },
    "approval.discount": {
        "zh-CN": "结清减免{pct}%超过自动审批上限{limit}%，需人工审批。",
        "en": "a settlement discount of {pct}% exceeds the auto-approval limit of {limit}%; "
        "staff approval needed.",
    },
    "approval.term": {
        "zh-CN": "期限{months}个月超过自动审批上限{limit}个月，需人工审批。",
        "en": "a term of {months} months exceeds the auto-approval limit of {limit}; staff "
        "approval needed.",
    },
    "approval.relief": {
        "zh-CN": "让利{pct}%超过自动审批上限{limit}%，需人工审批。",
        "en": "relief of {pct}% of the debt's value exceeds the auto-approval limit of {limit}%; "
        "staff approval needed.",
    },
    # ---- protocol ----------------------------------------------------------------------------
    "protocol.opened": {
        "zh-CN": "协商开始：共{rounds}轮，自动代理按时间递减的让步策略（β={beta}）报价。",
        "en": "negotiation opened: {rounds} rounds; the automated agent concedes over time "
        "(β={beta}).",
    },
    "protocol.offer": {
        "zh-CN": "第{round}轮报价：{months}期，月供最高{largest}，合计{total}；"
        "债权人目标价值不低于{target}。",
        "en": "round {round} offer: {months} months, largest payment {largest}, {total} in all; "
        "the creditor's target value is at least {target}.",
    },
    "protocol.counter": {
        "zh-CN": "债务人还价：{what}。",
        "en": "the debtor counters: {what}.",
    },
    "protocol.accept_counter": {
        "zh-CN": "还价在政策范围内，且对债权人的价值{value}不低于当前底线{target}，接受。",
        "en": "the counter is within policy and worth {value} to the creditor, not below the "
        "current reservation of {target}; accepted.",
    },
    "protocol.reject_counter": {
        "zh-CN": "还价对债权人的价值{value}低于当前底线{target}（或超出政策），继续让步报价。",
        "en": "the counter is worth {value} to the creditor, below the current reservation of "
        "{target} (or outside policy); the agent counters.",
    },
    "protocol.accepted": {
        "zh-CN": "双方接受方案：{months}期，合计{total}。",
        "en": "both sides accept the plan: {months} months, {total} in all.",
    },
    "protocol.approval": {
        "zh-CN": "方案超出自动审批权限，提交人工审批。",
        "en": "the plan is beyond the auto-approval limits and goes to staff approval.",
    },
    "protocol.expired": {
        "zh-CN": "已到第{rounds}轮期限，未达成协议。",
        "en": "the deadline of {rounds} rounds passed without agreement.",
    },
    "protocol.no_plan": {
        "zh-CN": "没有双方都优于不协商的方案，无法开始自动协商。",
        "en": "no plan beats no agreement for both sides; automated negotiation cannot start.",
    },
    "mediation.sealed": {
        "zh-CN": "{party_term}已提交保密底线。",
        "en": "the {party_term} submitted a sealed limit.",
    },
    "mediation.settled": {
        "zh-CN": "双方底线有重叠，按中点{amount}达成。",
        "en": "the limits overlap; settled at the midpoint of {amount}.",
    },
    "mediation.gap": {
        "zh-CN": "双方底线相差{gap}，调解员提出建议方案：{months}期，合计{total}。",
        "en": "the limits are {gap} apart; the mediator proposes {months} months, {total} in all.",
    },
}
