using Appliance.Daemon;

return await Daemon.RunAsync(args).ConfigureAwait(false);
