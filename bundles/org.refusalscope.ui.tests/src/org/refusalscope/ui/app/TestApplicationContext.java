package org.refusalscope.ui.app;

import java.util.Map;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.osgi.framework.Bundle;

/** The application context E4Application is started with in WorkbenchE4Test: arguments only, no product branding. */
final class TestApplicationContext implements IApplicationContext {

	private final String[] args;

	TestApplicationContext(String[] args) {
		this.args = args;
	}

	@Override
	public Map<String, Object> getArguments() {
		return Map.of(IApplicationContext.APPLICATION_ARGS, args);
	}

	@Override
	public void applicationRunning() {
		// no splash screen to take down
	}

	@Override
	public String getBrandingApplication() {
		return null;
	}

	@Override
	public String getBrandingName() {
		return "RefusalScope test";
	}

	@Override
	public String getBrandingDescription() {
		return null;
	}

	@Override
	public String getBrandingId() {
		return null;
	}

	@Override
	public String getBrandingProperty(String key) {
		return null;
	}

	@Override
	public Bundle getBrandingBundle() {
		return null;
	}

	@Override
	public void setResult(Object result, IApplication application) {
		// the test reads the return value of start()
	}
}
