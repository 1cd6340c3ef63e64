global using NginxLite.TestSupport;
global using Xunit;
