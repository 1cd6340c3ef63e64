using NginxLite.TestSupport;

namespace NginxLite.Interop.Tests.Apps;

/// <summary>
/// A minimal Django project (Debian's python3-django) written into a temp dir: settings without a database, and
/// views covering the request table of issue 6 (text, form, JSON, 10 MiB upload, streaming, cookies, redirect, 404).
/// Served as <c>djsite.wsgi:application</c>, the module <c>django-admin startproject</c> generates.
/// </summary>
public static class DjangoProject
{
    public const string Module = "djsite.wsgi:application";

    public static string Write(TempDir dir)
    {
        var root = dir.Dir("django");
        dir.File("django/djsite/__init__.py", "");
        dir.File("django/djsite/settings.py", """
            SECRET_KEY = "test-only-not-secret"
            DEBUG = False
            ALLOWED_HOSTS = ["*"]
            ROOT_URLCONF = "djsite.urls"
            INSTALLED_APPS = []
            MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
            DATABASES = {}
            USE_TZ = True
            DATA_UPLOAD_MAX_MEMORY_SIZE = None
            """);
        dir.File("django/djsite/wsgi.py", """
            import os
            from django.core.wsgi import get_wsgi_application
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "djsite.settings")
            application = get_wsgi_application()
            """);
        dir.File("django/djsite/urls.py", """
            import hashlib
            import json
            from django.http import HttpResponse, HttpResponseRedirect, JsonResponse, StreamingHttpResponse
            from django.urls import path

            def index(request):
                return HttpResponse("Hello, Django!", content_type="text/plain")

            def form(request):
                return HttpResponse("user=%s comment=%s" % (request.POST.get("user"), request.POST.get("comment")),
                                    content_type="text/plain")

            def echo_json(request):
                return JsonResponse({"got": json.loads(request.body), "method": request.method, "q": request.GET.get("q")},
                                    status=201)

            def upload(request):
                return HttpResponse("%d %s" % (len(request.body), hashlib.sha256(request.body).hexdigest()),
                                    content_type="text/plain")

            def stream(request):
                return StreamingHttpResponse((("line %d\n" % i).encode() for i in range(5)), content_type="text/plain")

            def cookies(request):
                r = HttpResponse("cookies", content_type="text/plain")
                r.set_cookie("one", "1")
                r.set_cookie("two", "2", httponly=True, path="/x")
                return r

            def redirect(request):
                return HttpResponseRedirect("/target/?a=1")

            def boom(request):
                raise RuntimeError("django view failed")

            urlpatterns = [
                path("", index),
                path("form", form),
                path("json", echo_json),
                path("upload", upload),
                path("stream", stream),
                path("cookies", cookies),
                path("redirect", redirect),
                path("boom", boom),
            ]
            """);
        return root;
    }
}
