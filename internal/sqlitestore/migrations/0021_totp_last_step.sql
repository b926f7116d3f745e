-- 0021: the time step (Unix time / 30 s) of the last second-factor code an account used, so
-- that each code opens at most one sign-in (voci.AccountStore.UseTOTPStep). 0: none yet.
ALTER TABLE accounts ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;
