using NginxLite.Config.Binding;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;
using NginxLite.Config.Validation.Checks;

namespace NginxLite.Config.Tests.Validation;

public class LoadModuleCheckTests
{
    private const string Tail = "events { }\nhttp { }\n";

    private static string[] Messages(string config, bool ignoreModules) =>
        [.. ConfigTest.RunText(config, "/test/nginx.conf", new LoadOptions(), new BindOptions { CheckEnvironment = false, IgnoreModules = ignoreModules })
            .Diagnostics.Select(d => d.ToString())];

    [Fact]
    public void LoadModule_MissingModule_EmergAtItsLine()
    {
        var messages = Messages("worker_processes 1;\nload_module modules/ngx_http_geoip_module.so;\n" + Tail, ignoreModules: false);
        Assert.Equal(
            ["[emerg] module \"ngx_http_geoip_module\" is not available in NginxLite (load_module \"modules/ngx_http_geoip_module.so\"); run with --ignore-modules to go on without it in /test/nginx.conf:2"],
            messages);
    }

    [Fact]
    public void LoadModule_MissingModuleWithIgnoreModules_OneWarnPerModule()
    {
        var messages = Messages(
            "load_module modules/ngx_stream_module.so;\nload_module /usr/lib/nginx/modules/ngx_stream_module.so;\nload_module modules/ngx_mail_module.so;\n" + Tail,
            ignoreModules: true);
        Assert.Equal(
            [
                "[warn] load_module \"modules/ngx_stream_module.so\" ignored: module \"ngx_stream_module\" is not available in NginxLite in /test/nginx.conf:1",
                "[warn] load_module \"modules/ngx_mail_module.so\" ignored: module \"ngx_mail_module\" is not available in NginxLite in /test/nginx.conf:3",
            ],
            messages);
    }

    [Theory]
    [InlineData("modules/ngx_http_gzip_static_module.so")]
    [InlineData("/usr/lib/nginx/modules/ngx_http_sub_filter_module.so")]
    public void LoadModule_ModuleNginxLiteImplements_NoMessage(string path)
    {
        Assert.True(LoadModuleCheck.IsBuiltIn(LoadModuleCheck.ModuleName(path)));
        Assert.Empty(Messages($"load_module {path};\n" + Tail, ignoreModules: false));
    }

    [Theory]
    [InlineData("modules/ngx_http_geoip_module.so", "ngx_http_geoip_module")]
    [InlineData("ngx_http_echo_module.so", "ngx_http_echo_module")]
    [InlineData("/x/ngx_http_image_filter_module.so", "ngx_http_image_filter_module")]
    public void LoadModule_ModuleNginxLiteLacks_NotBuiltIn(string path, string module)
    {
        Assert.Equal(module, LoadModuleCheck.ModuleName(path));
        Assert.False(LoadModuleCheck.IsBuiltIn(module));
    }
}
