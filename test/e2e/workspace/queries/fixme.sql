-- E2E scenario 3: arithmetic on the indexed column, with an exact quick fix.
SELECT id, status FROM orders WHERE total_cents + 100 = 2500;
