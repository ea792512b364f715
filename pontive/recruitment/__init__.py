"""Recruitment and selection: rounds, applications, the administrative check, interview,
practical test, letters and appointment (002 §4, §16–19; 000 §10)."""
