package org.refusalscope.ui.handlers;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.modeling.EPartService;

/** Window > Run Set-up. */
public class ShowSetupHandler {

	@Execute
	public void execute(MApplication application, EModelService models, EPartService parts) {
		PerspectiveHandler.show(PerspectiveHandler.SETUP, application, models, parts);
	}
}
