// The operators' command line, `serverless-ops`: see OpsApp for the commands.
return await Serverless.Ops.OpsApp.RunAsync(args, Console.Out, Console.Error);
