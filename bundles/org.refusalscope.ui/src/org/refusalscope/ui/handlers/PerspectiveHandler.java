package org.refusalscope.ui.handlers;

import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.advanced.MPerspective;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.modeling.EPartService;

/** Switches between the perspectives of Application.e4xmi. */
public final class PerspectiveHandler {

	public static final String RESULTS = "org.refusalscope.ui.perspective.results";
	public static final String SETUP = "org.refusalscope.ui.perspective.setup";

	private PerspectiveHandler() {
	}

	public static void show(String id, MApplication application, EModelService models, EPartService parts) {
		if(models.find(id, application) instanceof MPerspective perspective) {
			parts.switchPerspective(perspective);
		}
	}
}
