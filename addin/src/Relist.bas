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
    For i = 1 To Len(button)
        If InStr("abcdefghijklmnopqrstuvwxyz_", Mid$(button, i, 1)) = 0 Then
            MsgBox "Relist: unknown button '" & button & "'.", vbExclamation, "Relist"
            Exit Sub
        End If
    Next i
    RunPython "import relist.excel; relist.excel.run('" & button & "')"
End Sub
