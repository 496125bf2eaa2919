"""Ideas: proposed by anyone, reviewed by peers on stated criteria, resourced on their quality."""
