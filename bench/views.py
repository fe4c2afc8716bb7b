"""The ceiling of `make bench`, served only with BENCH_ENDPOINTS (dangjian/urls.py): the platform's middleware
stack and nothing else."""

from django.http import HttpResponse


def hello(request):
    return HttpResponse("hello")
