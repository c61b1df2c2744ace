package org.refusalscope.headless;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.refusalscope.core.registry.StrategyRegistry;

/**
 * The {@code ./refusalscope} command line as an Equinox application. It always returns an explicit exit code:
 * an exception escaping {@link #start} would make the launcher exit 0.
 */
public class HeadlessApplication implements IApplication {

	@Override
	public Object start(IApplicationContext context) {
		String[] args = (String[]) context.getArguments().get(IApplicationContext.APPLICATION_ARGS);
		PrintStream out = System.out;
		PrintStream err = System.err;
		try {
			BundleContext bundleContext = FrameworkUtil.getBundle(getClass()).getBundleContext();
			return Integer.valueOf(Cli.run(args == null ? new String[0] : args, () -> registry(bundleContext), out, err));
		} catch(Throwable e) {
			err.println("refusalscope: internal error: " + e);
			return Integer.valueOf(Cli.EXIT_ERROR);
		} finally {
			out.flush();
			err.flush();
		}
	}

	@Override
	public void stop() {
		// commands check cancellation through their monitors; nothing to release here
	}

	private static StrategyRegistry registry(BundleContext context) {
		ServiceTracker<StrategyRegistry, StrategyRegistry> tracker = new ServiceTracker<>(context, StrategyRegistry.class,
				null);
		tracker.open();
		try {
			StrategyRegistry registry = tracker.waitForService(TimeUnit.SECONDS.toMillis(20));
			if(registry == null) {
				throw new IllegalStateException("strategy registry did not start (is org.apache.felix.scr running?)");
			}
			return registry;
		} catch(InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for the strategy registry", e);
		}
	}
}
