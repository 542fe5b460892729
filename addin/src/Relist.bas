Attribute VB_Name = "Relist"
' Relist ribbon: every button is one line that runs one Python entry point,
' relist.excel.run("<button>"), through xlwings' RunPython (module xlwings).
' The button name is the ribbon control's tag (addin/src/ribbon.xml).
Option Explicit

' onAction of every button on the Relist tab.
Public Sub RelistButton(control As IRibbonControl)
    RunRelist control.Tag
End Sub

' Runs one button by name; also usable from the Immediate window: RunRelist "about"
Public Sub RunRelist(ByVal button As String)
    Dim i As Long
    ' RunPython needs a workbook: without one (or one still in Protected View) it stops on VBA error 91.
    If ActiveWorkbook Is Nothing Then
        MsgBox "Relist works on your Relist workbook, and no workbook is open." & vbNewLine & _
               "Open it (File > Open; click Enable Editing if Excel shows it in Protected View), " & _
               "then click the button again.", vbExclamation, "Relist"
        Exit Sub
    End If
    For i = 1 To Len(button)
        If InStr("abcdefghijklmnopqrstuvwxyz_", Mid$(button, i, 1)) = 0 Then
            MsgBox "Relist: unknown button '" & button & "'.", vbExclamation, "Relist"
            Exit Sub
        End If
    Next i
    RunPython "import relist.excel; relist.excel.run('" & button & "')"
End Sub

' onAction of Help > Restart Relist. On Windows one Python process serves every click
' (USE UDF SERVER) and keeps the Relist it started with: after upgrading Relist, end it
' (xlwings' KillPy) so the next click starts a fresh one. On macOS every click starts its own.
Public Sub RelistRestart(control As IRibbonControl)
#If Mac Then
    MsgBox "Nothing to restart on a Mac: every Relist click starts a fresh Python.", vbInformation, "Relist"
#Else
    On Error GoTo Failed
    KillPy
    MsgBox "Relist restarted: the next click starts a fresh Python with the Relist now installed.", vbInformation, "Relist"
    Exit Sub
Failed:
    MsgBox "Relist could not restart its Python: " & Err.Description & vbNewLine & _
           "Close Excel and open it again instead.", vbExclamation, "Relist"
#End If
End Sub
