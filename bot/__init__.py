"""Cadre-learning chatbot: weekly study items, quizzes, lectures and reminders."""

__version__ = "0.1.0"
