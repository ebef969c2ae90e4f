"""Users, memberships, sign-in and access control."""
