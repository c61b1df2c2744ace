package org.refusalscope.ui.app;

import java.io.IOException;

import org.eclipse.core.runtime.Platform;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.e4.ui.workbench.IWorkbench;
import org.eclipse.e4.ui.workbench.UIEvents;
import org.eclipse.e4.ui.model.application.ui.advanced.MPerspective;
import org.eclipse.e4.ui.workbench.lifecycle.PostContextCreate;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.refusalscope.ui.handlers.PerspectiveHandler;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Shell;
import org.refusalscope.ui.model.OpenRun;

/**
 * Puts the {@link OpenRun} into the application context, reads {@code --run}/{@code --screenshot} and, once the
 * window is up, shows the run (or takes the screenshot).
 */
public class LifeCycle {

	@PostContextCreate
	void postContextCreate(IEclipseContext context, IEventBroker broker) {
		OpenRun run = new OpenRun();
		context.set(OpenRun.class, run);
		WorkbenchArguments arguments;
		try {
			arguments = WorkbenchArguments.parse(Platform.getApplicationArgs());
		} catch(IllegalArgumentException e) {
			System.err.println("refusalscope ui: " + e.getMessage());
			System.exit(2);
			return;
		}
		String openError = null;
		if(arguments.run().isPresent()) {
			try {
				run.open(arguments.run().get());
			} catch(IOException | RuntimeException e) {
				openError = e.getMessage();
				if(arguments.screenshot().isPresent()) {
					System.err.println("refusalscope ui: " + openError);
					System.exit(1);
				}
			}
		}
		String error = openError;
		broker.subscribe(UIEvents.UILifeCycle.APP_STARTUP_COMPLETE, event -> started(context, run, arguments, error));
	}

	private static void started(IEclipseContext context, OpenRun run, WorkbenchArguments arguments, String openError) {
		MApplication application = context.get(MApplication.class);
		MWindow window = application.getChildren().get(0);
		Shell shell = (Shell) window.getWidget();
		if(arguments.setup()) {
			EModelService models = application.getContext().get(EModelService.class);
			EPartService parts = window.getContext().get(EPartService.class);
			if(models.find(PerspectiveHandler.SETUP, application) instanceof MPerspective setup) {
				parts.switchPerspective(setup);
			}
		}
		if(arguments.screenshot().isPresent()) {
			new ScreenshotMode(shell, run, arguments.screenshot().get(), context.get(IWorkbench.class), !arguments.setup()).start();
		} else if(openError != null) {
			MessageDialog.openError(shell, "Open Run", openError);
		} else {
			run.select(0);
		}
	}
}
