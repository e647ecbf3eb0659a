"""accord.negotiation — the negotiation engine: affordability, plans, valuation, protocol.

Owns: checking a debtor's financial statement and deriving a sustainable payment; generating
feasible restructuring plans inside policy and jurisdiction limits; valuing each for creditor and
debtor against their BATNAs; recommending the Nash bargaining solution plus a small menu with
bilingual explanations; the alternating-offers and mediator protocols (as pure event records);
and a synthetic-population simulator for comparing strategies.

Pure and deterministic: imports only :mod:`accord.core`, numpy and the standard library; never
the database, the network, services or interfaces.
"""
