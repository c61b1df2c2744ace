package org.refusalscope.model.djl;

import java.util.concurrent.Callable;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/**
 * Entry to the embedded DJL PyTorch engine. DJL discovers engines and native libraries through the thread context
 * class loader, so every call from a thread we do not own (executors, UI jobs) runs with this bundle's loader.
 */
public final class Djl {

	public static final String ENGINE = "PyTorch";

	private Djl() {
	}

	public static <T> T withBundleClassLoader(Callable<T> body) {
		Thread thread = Thread.currentThread();
		ClassLoader previous = thread.getContextClassLoader();
		thread.setContextClassLoader(Djl.class.getClassLoader());
		try {
			return body.call();
		} catch(RuntimeException e) {
			throw e;
		} catch(Exception e) {
			throw new IllegalStateException(e.getMessage(), e);
		} finally {
			thread.setContextClassLoader(previous);
		}
	}

	public static Engine engine() {
		return withBundleClassLoader(() -> Engine.getEngine(ENGINE));
	}

	public static NDManager newManager() {
		return withBundleClassLoader(() -> NDManager.newBaseManager(ai.djl.Device.cpu(), ENGINE));
	}
}
