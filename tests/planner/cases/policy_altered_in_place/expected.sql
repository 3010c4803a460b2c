ALTER POLICY readable ON public.docs USING (public OR owner = current_user);
ALTER POLICY writable ON public.docs WITH CHECK (owner = current_user);
