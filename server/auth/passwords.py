"""What a new password must be: 10 characters or more, and not one of the commonly used ones.

"Common" is judged by zxcvbn, which ships the 30,000 passwords seen most often in leaks together
with word, name and keyboard-pattern lists, and estimates how many guesses a password takes
against them, so "password123", "P@ssw0rd123" and "qwertyuiop" are caught and not only exact
entries of a list. A password it expects to fall within a million guesses is refused. Nothing is
fetched at run time: the lists are inside the package.
"""

from zxcvbn import zxcvbn

from server.exceptions import InvalidInput

MIN_LENGTH = 10
MAX_LENGTH = 1024
# zxcvbn's score: 0 and 1 mean fewer than a million guesses.
MIN_SCORE = 2
# zxcvbn refuses to judge longer input; the first characters say enough about the rest.
_JUDGED_LENGTH = 72


def password_problem(password: str, user_inputs: tuple[str, ...] = ()) -> str | None:
    """Why this new password is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    verdict = zxcvbn(password[:_JUDGED_LENGTH], user_inputs=[u for u in user_inputs if u])
    if verdict["score"] >= MIN_SCORE:
        return None
    reason = verdict["feedback"]["warning"] or "This password is too easy to guess."
    return f"{reason} Choose a less common password (a few unrelated words work well)."


def check_new_password(
    password: str, user_inputs: tuple[str, ...] = (), field: str = "password"
) -> None:
    """Raise InvalidInput, on field, when the password may not be set."""
    problem = password_problem(password, user_inputs)
    if problem:
        raise InvalidInput(errors={field: [problem]})


def personal_words(email: str, name: str = "") -> tuple[str, ...]:
    """The words of a person's own email and name, which their password should not be."""
    local, _, domain = email.partition("@")
    return (email, local, domain, name, *name.split())
