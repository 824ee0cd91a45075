"""Administrators' reports (/report): charts rendered as PNG and key figures as text."""
