"""Channel-neutral core: message model, router, i18n, clock."""
