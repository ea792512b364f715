"""Users, role grants, OPDs, login and the admin pages that manage them."""
