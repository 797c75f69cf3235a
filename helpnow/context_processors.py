from helpnow.services import on_duty_count


def on_duty(request):
    """"N supporters on duty" for the header: read from the cache, at most one small query."""
    return {"helpnow_on_duty": on_duty_count()}
