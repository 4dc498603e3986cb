"""Intake: persons, cases, challenges, the timeline, consents and anonymous contacts."""
