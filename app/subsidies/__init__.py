"""Subsidy programmes and claims: eligibility, a budget never overspent, review, payment."""
