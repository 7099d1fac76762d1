// Plain YARP 2.3 with no gateway logic, set up as its documentation shows: routes and clusters from the
// ReverseProxy section of a JSON file (--config FILE), Kestrel on --urls, and the logging an ASP.NET Core app
// ships with (console), at Warning so that YARP's per-request Information events are not written.
// bench/load.sh runs it with the gateway's no-lanes config and compares CPU per request in the same rounds.
var builder = WebApplication.CreateBuilder(args);
var configFile = builder.Configuration["config"]
    ?? throw new InvalidOperationException("usage: PlainYarp --config FILE --urls http://127.0.0.1:PORT");
builder.Configuration.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));

var app = builder.Build();
app.MapReverseProxy();
app.Run();
