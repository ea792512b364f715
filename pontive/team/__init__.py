"""The programmer team after appointment: memberships (002 §4(1), §15)."""
