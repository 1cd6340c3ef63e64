using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary><c>[warn] the "ssl" directive is deprecated, use the "listen ... ssl" directive instead</c>, while reading <c>ssl</c> (ngx_http_ssl_enable).</summary>
public sealed class SslDirectiveCheck : IConfigCheck
{
    public void Run(BoundConfig config, BindScope scope)
    {
        foreach (var http in ConfigTree.HttpBlocks(config))
        {
            foreach (var ssl in ConfigTree.Named(http, "ssl").Where(d => !d.Syntax.HasBlock))
            {
                scope.Warn(ssl, "the \"ssl\" directive is deprecated, use the \"listen ... ssl\" directive instead");
            }
        }
    }
}
