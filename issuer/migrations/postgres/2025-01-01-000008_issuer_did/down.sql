ALTER TABLE status_lists DROP COLUMN issuer_form;
