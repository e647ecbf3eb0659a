"""Reason catalogue of the agreement engine: message id → zh-CN and en text.

Events store a message id and parameters, never rendered text, so an explanation can be shown
in either language later. :func:`explain` renders one; parameters whose name ends in ``_minor``
are shown as money in the event's ``currency`` under the name without the suffix
(``amount_minor`` → ``{amount}``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from accord.core.money import Money

LOCALES = ("zh-CN", "en")

CATALOGUE: dict[str, tuple[str, str]] = {
    "agreement.created": (
        "协议已生成，共 {installments} 期，合计 {total}，等待双方签署。",
        "Agreement created: {installments} installments totalling {total}, awaiting signatures.",
    ),
    "agreement.signed": ("{role} 已签署协议。", "The {role} signed the agreement."),
    "agreement.activated": (
        "双方均已签署，协议自 {on} 起生效。",
        "Both parties signed; the agreement is in force from {on}.",
    ),
    "agreement.cancelled": (
        "协议在生效前由 {by} 撤回。",
        "Withdrawn by the {by} before it took effect.",
    ),
    "agreement.payment_received": ("收到还款 {amount}。", "Payment of {amount} received."),
    "agreement.hardship_declared": (
        "债务人申报困难情形：{reason}。",
        "The debtor declared hardship: {reason}.",
    ),
    "agreement.hardship_verified": (
        "困难申请核实结果已记录。",
        "The hardship check result was recorded.",
    ),
    "agreement.income_change_verified": (
        "已核实的收入变化已记录。",
        "A verified change of income was recorded.",
    ),
    "agreement.hardship_rejected.status": (
        "协议当前状态为 {status}，无法受理困难申请。",
        "The agreement is {status}; a hardship declaration cannot be taken.",
    ),
    "agreement.payment_applied": (
        "还款 {amount} 已用于第 {seqs} 期。",
        "Payment of {amount} applied to installment(s) {seqs}.",
    ),
    "agreement.payment_unapplied": (
        "协议状态为 {status}，还款 {amount} 暂未入账，将另行处理或退还。",
        "The agreement is {status}; the payment of {amount} is held for review or refund.",
    ),
    "agreement.installment_missed": (
        "第 {seq} 期（到期日 {due}）在 {grace} 天宽限期后仍未还清，计为逾期（第 {count} 次）。",
        "Installment {seq} (due {due}) is unpaid after the {grace}-day grace period "
        "(missed installment {count}).",
    ),
    "agreement.grace_started": (
        "第 {seq} 期已到期未还清，处于 {grace} 天宽限期内。",
        "Installment {seq} is past due and within its {grace}-day grace period.",
    ),
    "agreement.arrears_started": (
        "第 {seq} 期宽限期已过，协议处于拖欠状态。",
        "Installment {seq} is past its grace period; the agreement is in arrears.",
    ),
    "agreement.cured": (
        "逾期款项已还清，协议恢复正常。",
        "Overdue amounts are paid; the agreement is back on track.",
    ),
    "agreement.partially_cured": (
        "宽限期外的欠款已还清，仍有款项处于宽限期内。",
        "Amounts past grace are paid; some are still within grace.",
    ),
    "agreement.breached.reinstate-original": (
        "{cause}，协议终止，原债务恢复，剩余 {reinstated} 按原合同处理。",
        "{cause}: the agreement ends and the original debt is reinstated "
        "({reinstated} outstanding).",
    ),
    "agreement.breached.offer-renegotiation": (
        "{cause}，协议终止，我们将邀请您重新协商还款方案。",
        "{cause}: the agreement ends and you will be offered a renegotiation.",
    ),
    "agreement.cause.missed": (
        "逾期期数 {count} 超过允许的 {allowed} 次",
        "{count} missed installments exceed the {allowed} allowed",
    ),
    "agreement.cause.arrears": (
        "拖欠 {days} 天，超过 {limit} 天上限",
        "{days} days in arrears exceed the {limit}-day limit",
    ),
    "agreement.completed": (
        "全部款项已还清，协议完成，征信状态：{outcome}。",
        "All payments made; the agreement is complete. Credit reporting status: {outcome}.",
    ),
    "agreement.early_payoff": (
        "提前结清：支付 {quote}，减免 {discount}，协议完成，征信状态：{outcome}。",
        "Early payoff: {quote} paid, {discount} waived; complete. "
        "Credit reporting status: {outcome}.",
    ),
    "agreement.payoff_not_eligible": (
        "提前结清条件未满足（需至少已还 {needed} 期且金额不少于 {quote}），按普通还款处理。",
        "Early payoff not available (needs {needed} installments paid and at least {quote}); "
        "applied as an ordinary payment.",
    ),
    "agreement.reminder_due": (
        "第 {seq} 期 {amount} 的还款提醒（到期日 {due}）。",
        "Reminder for installment {seq}: {amount} due {due}.",
    ),
    "agreement.hardship_pending": (
        "已收到困难申请（{reason}）及证明，核实期间暂停催收联系。",
        "Hardship declaration ({reason}) with evidence received; "
        "contact is paused while it is checked.",
    ),
    "agreement.hardship_rejected.no_rule": (
        "协议未约定“{reason}”类困难情形。",
        "The agreement has no hardship rule for “{reason}”.",
    ),
    "agreement.hardship_rejected.no_evidence": (
        "困难申请需提供以下证明之一：{kinds}。",
        "The hardship declaration needs one of these documents: {kinds}.",
    ),
    "agreement.hardship_rejected.limit": (
        "暂停还款次数或天数已达协议上限。",
        "The agreed maximum number or length of pauses has been reached.",
    ),
    "agreement.hardship_declined": (
        "核实人 {verifier} 未确认困难申请，协议照常执行。",
        "The verifier {verifier} did not confirm the hardship; the agreement continues as before.",
    ),
    "agreement.paused": (
        "困难情形已核实，还款暂停 {days} 天至 {until}，未还各期顺延。",
        "Hardship verified: payments pause for {days} days until {until}; unpaid installments move "
        "back by the same time.",
    ),
    "agreement.resumed": (
        "暂停期结束，协议恢复执行。",
        "The pause has ended; the agreement resumes.",
    ),
    "agreement.income_change_noted": (
        "收入变化（下降 {drop_bps} 个基点）已记录，未达调整条件。",
        "Income change (a drop of {drop_bps} bp) recorded; no adjustment applies.",
    ),
    "agreement.terms_adjusted": (
        "收入下降 {drop_bps} 个基点，此后每期调整为原金额的 {payment_bps} 个基点，"
        "增加 {added} 期，总额不变。",
        "Income dropped by {drop_bps} bp: future installments become {payment_bps} bp of their "
        "amount and {added} installment(s) are added; the total is unchanged.",
    ),
    "agreement.ticked": ("{on} 日终处理。", "End-of-day processing for {on}."),
}


def explain(reason_id: str, params: Mapping[str, Any], locale: str = "zh-CN") -> str:
    """Render reason ``reason_id`` with ``params`` in ``locale`` (``zh-CN`` or ``en``)."""
    if locale not in LOCALES:
        raise ValueError(f"unknown locale {locale!r}; use one of {LOCALES}")
    zh, en = CATALOGUE[reason_id]
    values = dict(params)
    currency = params.get("currency")
    for key, value in params.items():
        if key.endswith("_minor") and isinstance(currency, str) and type(value) is int:
            values[key.removesuffix("_minor")] = Money(value, currency).format()
    if "cause_id" in params:
        inner = {k: v for k, v in params.items() if k != "cause_id"}
        values["cause"] = explain(params["cause_id"], inner, locale)
    return (zh if locale == "zh-CN" else en).format(**values)
