return await Appliance.Ctl.Cli.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
