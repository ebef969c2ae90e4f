"""Sites as people use them: the ones a person may see, and the admin's changes."""
