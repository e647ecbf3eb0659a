"""Notification interface: channels (SMTP email, SMS gateway, webhook, in-app), templates in
zh-CN and en, planning messages from agreement events, and dispatch inside the contact rules.

Interface layer: may import the engines (``accord.agreements``, ``accord.compliance``) and
``accord.core``; never the store directly.
"""
