"""1:1s: a series between two people, its meetings with a shared agenda, GROW, notes (shared
and private) and action items, and each person's calendar feed."""
