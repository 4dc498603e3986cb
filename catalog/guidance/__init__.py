"""What the public pages tell a resident beyond the results: the emergency lines and the quick
way out on pages about violence, self-harm or a crisis (`safety`), and a notice in the language a
search was typed in when it was not understood (`languages`)."""

from catalog.guidance.languages import not_understood
from catalog.guidance.safety import safety_for

__all__ = ["not_understood", "safety_for"]
