package org.refusalscope.ui.handlers;

import java.io.IOException;
import java.nio.file.Path;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Shell;
import org.refusalscope.ui.model.OpenRun;

/** File > Open Run...: choose a run folder (headless runs included) and show it in the Results perspective. */
public class OpenRunHandler {

	@Execute
	public void execute(Shell shell, OpenRun run, MApplication application, EModelService models, EPartService parts) {
		DirectoryDialog dialog = new DirectoryDialog(shell);
		dialog.setText("Open Run");
		dialog.setMessage("Choose a RefusalScope run folder (it holds results.json)");
		run.folder().ifPresent(dir -> dialog.setFilterPath(dir.toString()));
		String chosen = dialog.open();
		if(chosen == null) {
			return;
		}
		try {
			run.open(Path.of(chosen));
		} catch(IOException | RuntimeException e) {
			MessageDialog.openError(shell, "Open Run", e.getMessage());
			return;
		}
		PerspectiveHandler.show(PerspectiveHandler.RESULTS, application, models, parts);
		run.select(0);
	}
}
