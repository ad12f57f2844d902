"""GOV.UK Notify: an SMS or email to staff told about an urgent alert, so a duty worker
without the app installed is reached."""

from __future__ import annotations

from collections.abc import Mapping


def notify_configured(config: Mapping) -> bool:
    """True when the council gave an API key and at least one template."""
    return bool(
        config.get("NOTIFY_API_KEY")
        and (config.get("NOTIFY_SMS_TEMPLATE_ID") or config.get("NOTIFY_EMAIL_TEMPLATE_ID"))
    )
