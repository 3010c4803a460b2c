CREATE SEQUENCE public.invoice_number_seq AS bigint INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1 NO CYCLE;
ALTER TABLE public.invoices ALTER COLUMN number SET DEFAULT 'INV-' || nextval('invoice_number_seq');
ALTER SEQUENCE public.invoice_number_seq OWNED BY public.invoices.number;
