package org.refusalscope.ui.testing;

import org.eclipse.e4.core.contexts.ContextInjectionFactory;
import org.eclipse.e4.core.contexts.EclipseContextFactory;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.refusalscope.ui.model.OpenRun;

/**
 * Creates e4 POJO parts the way the workbench does (dependency injection with a parent Composite and the OpenRun from
 * the context), each in its own slot of one shell, so the tests exercise @PostConstruct/@PreDestroy for real.
 */
public class PartHarness implements AutoCloseable {

	private final Display display = UiTestSupport.display();
	private final Shell shell = UiTestSupport.shell(1600, 1000);
	private final IEclipseContext context = EclipseContextFactory.create("ui-test");
	private final OpenRun run = new OpenRun();
	/**
	 * A parent context holds its children weakly: without these references a garbage collection between make() and
	 * close() drops a part's context, its @PreDestroy never runs, and the part keeps listening (a flaky test).
	 */
	private final java.util.List<IEclipseContext> partContexts = new java.util.ArrayList<>();

	public PartHarness() {
		shell.setLayout(new FillLayout());
		context.set(OpenRun.class, run);
	}

	public <T> T make(Class<T> part) {
		Composite slot = new Composite(shell, SWT.NONE);
		IEclipseContext partContext = context.createChild(part.getSimpleName());
		partContext.set(Composite.class, slot);
		partContexts.add(partContext);
		return ContextInjectionFactory.make(part, partContext);
	}

	public IEclipseContext context() {
		return context;
	}

	public OpenRun run() {
		return run;
	}

	public Shell shell() {
		return shell;
	}

	/** Opens the shell and dispatches events until nothing is pending. */
	public void show() {
		shell.layout(true, true);
		shell.open();
		flush();
	}

	public void flush() {
		UiTestSupport.flush(display);
	}

	@Override
	public void close() {
		partContexts.forEach(IEclipseContext::dispose);
		context.dispose();
		shell.dispose();
		flush();
	}
}
