"""The directory: people, teams, reporting lines, job roles and skills."""
