"""A refused POST answers 4xx (CONTRACTS.md), whichever view re-rendered the form.

allauth's views (sign-up, log-in, password change) re-render an invalid form with 200; scripts and
tests that post to them should see the refusal in the status too. Our own views already answer 400.
"""


class RefusedFormStatusMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_template_response(self, request, response):
        if request.method == "POST" and response.status_code == 200:
            form = (response.context_data or {}).get("form")
            if form is not None and getattr(form, "is_bound", False) and form.errors:
                response.status_code = 400
        return response
