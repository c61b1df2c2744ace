package org.refusalscope.headless.bench;

import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.refusalscope.api.StrategyRole;
import org.refusalscope.api.bench.EngineBenchmarks;
import org.refusalscope.api.model.ModelBackend;
import org.refusalscope.core.registry.StrategyRegistry;

/** OSGi look-ups of the bench worker: the engine micro-benchmarks and the DJL model backend. */
final class Services {

	static final String BACKEND_ID = "djl";

	private Services() {
	}

	static EngineBenchmarks engineBenchmarks() {
		BundleContext context = FrameworkUtil.getBundle(Services.class).getBundleContext();
		ServiceTracker<EngineBenchmarks, EngineBenchmarks> tracker = new ServiceTracker<>(context, EngineBenchmarks.class,
				null);
		tracker.open();
		try {
			EngineBenchmarks service = tracker.waitForService(TimeUnit.SECONDS.toMillis(20));
			if(service == null) {
				throw new IllegalStateException("no EngineBenchmarks service (bundle org.refusalscope.model.djl not started)");
			}
			return service;
		} catch(InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for the engine benchmarks", e);
		}
	}

	/** The backend of id {@code djl}; DS may bind it a moment after the registry appears, so wait briefly. */
	static ModelBackend backend(StrategyRegistry registry) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while(registry.find(StrategyRole.MODEL_BACKEND, BACKEND_ID).isEmpty() && System.nanoTime() < deadline) {
			try {
				Thread.sleep(100);
			} catch(InterruptedException e) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		return registry.require(StrategyRole.MODEL_BACKEND, BACKEND_ID);
	}
}
