-- One statement the parser cannot read: it gets a single parse-error finding, and the
-- statements after it are still checked.

SELECT id, email FROM users WHERE id = $1;

SELEC id FROM users WHERE id = 2; -- expect: parse-error

SELECT * FROM orders WHERE id = $1; -- expect: select-star

SELECT id FROM users WHERE upper(email) = 'ADA@EXAMPLE.COM'; -- expect: function-on-column
