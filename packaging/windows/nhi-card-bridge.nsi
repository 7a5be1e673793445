; NHI Card Bridge setup for Windows x64. Built on Linux by scripts/package-windows.ts with
; Debian's makensis: `makensis -DBUILD_NSH=<generated build.nsh> nhi-card-bridge.nsi`.
;
; Per user by default (no administrator rights): %LOCALAPPDATA%\Programs\NHI Card Bridge and
; HKCU. `/AllUsers` from an elevated prompt installs for every user (Program Files, HKLM).
; `/S` is silent, `/D=DIR` (last on the command line) chooses the directory.

Unicode true
; Debian's NSIS defaults to a 32-bit installer; the amd64 stubs make a 64-bit one.
Target amd64-unicode
SetCompressor /SOLID lzma
RequestExecutionLevel user
ManifestDPIAware true

!include "${BUILD_NSH}"
!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "TextFunc.nsh"

Name "${PRODUCT_NAME}"
OutFile "${OUT_FILE}"
InstallDir "$LOCALAPPDATA\Programs\${PRODUCT_NAME}"
BrandingText "${PRODUCT_NAME} ${PRODUCT_VERSION}"
VIProductVersion "${VI_VERSION}"
VIAddVersionKey /LANG=0 "ProductName" "${PRODUCT_NAME}"
VIAddVersionKey /LANG=0 "ProductVersion" "${PRODUCT_VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${PRODUCT_VERSION}"
VIAddVersionKey /LANG=0 "FileDescription" "${PRODUCT_NAME} setup"
VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=0 "LegalCopyright" "MIT License"

Var AllUsers

!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_LINK "$(FirefoxLink)"
!define MUI_FINISHPAGE_LINK_LOCATION "${FIREFOX_ADDON_URL}"
!define MUI_FINISHPAGE_NOREBOOTSUPPORT
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; The first language is the fallback; Windows' UI language picks between them.
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "TradChinese"

LangString FirefoxLink ${LANG_ENGLISH} "Firefox: get the NHI Card Bridge add-on"
LangString FirefoxLink ${LANG_TRADCHINESE} "Firefox：安裝健保卡橋接附加元件"
; One name in both languages, so the uninstaller finds it whatever language it runs in.
!define SHORTCUT_NAME "健保卡橋接診斷 NHI Card Bridge diagnostics"
LangString NeedsAdmin ${LANG_ENGLISH} "Installing for all users needs an administrator: run the setup as administrator, or without /AllUsers."
LangString NeedsAdmin ${LANG_TRADCHINESE} "為所有使用者安裝需要系統管理員權限：請以系統管理員身分執行，或不要加 /AllUsers。"

Function .onInit
  StrCpy $AllUsers 0
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/AllUsers" $1
  ${IfNot} ${Errors}
    UserInfo::GetAccountType
    Pop $1
    ${If} $1 != "Admin"
      MessageBox MB_ICONSTOP "$(NeedsAdmin)" /SD IDOK
      SetErrorLevel 740
      Quit
    ${EndIf}
    StrCpy $AllUsers 1
    ; Keep a /D= the user gave. Compared before SetShellVarContext all, which changes what
    ; $LOCALAPPDATA names (the default then stayed in the administrator's own profile).
    ${If} $INSTDIR == "$LOCALAPPDATA\Programs\${PRODUCT_NAME}"
      StrCpy $INSTDIR "$PROGRAMFILES64\${PRODUCT_NAME}"
    ${EndIf}
    SetShellVarContext all
  ${EndIf}
  SetRegView 64
FunctionEnd

Section "Install"
  ; A fresh profile may have no %LOCALAPPDATA%\Programs yet: remember that this setup creates the
  ; folder it installs into, so the uninstaller removes it too (only while empty). An upgrade keeps the note.
  ${GetParent} "$INSTDIR" $0
  ${IfNot} ${FileExists} "$0\*.*"
    WriteRegStr SHCTX "${UNINSTALL_KEY}" "CreatedParentFolder" "$0"
  ${EndIf}
  ; Over an older version: the files it listed go first (so none it shipped and we do not stays
  ; behind), then ours are written and its keys rewritten.
  Call RemoveFilesOfEarlierVersion
  !insertmacro NHI_INSTALL_FILES
  WriteUninstaller "$INSTDIR\uninstall.exe"

  ${If} $AllUsers == 1
    !insertmacro NHI_WRITE_REGISTRY_SYSTEM
  ${Else}
    !insertmacro NHI_WRITE_REGISTRY_USER
  ${EndIf}

  CreateDirectory "$SMPROGRAMS\${PRODUCT_NAME}"
  ; `doctor` in a console that stays open, so a person can read what it found.
  CreateShortcut "$SMPROGRAMS\${PRODUCT_NAME}\${SHORTCUT_NAME}.lnk" "$SYSDIR\cmd.exe" '/k ""$INSTDIR\nhi-card.exe" doctor"' "$INSTDIR\nhi-card.exe" 0

  ; "Apps & features" (SHCTX is HKLM for all users, else HKCU).
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayName" "${PRODUCT_NAME}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayVersion" "${PRODUCT_VERSION}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\nhi-card.exe"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "EstimatedSize" $0
SectionEnd

;; Deletes every file the installed version's list names, and the folders that leaves empty.
Function RemoveFilesOfEarlierVersion
  ClearErrors
  FileOpen $0 "$INSTDIR\${INSTALLED_FILES_LIST}" r
  ${If} ${Errors}
    Return
  ${EndIf}
  ${Do}
    ClearErrors
    FileRead $0 $1
    ${If} ${Errors}
      ${ExitDo}
    ${EndIf}
    ${TrimNewLines} "$1" $1
    Call StaysInFolder
    ${If} $2 == 1
      Delete "$INSTDIR\$1"
      ${GetParent} "$INSTDIR\$1" $3
      ${Do}
        ${If} $3 == $INSTDIR
        ${OrIf} $3 == ""
          ${ExitDo}
        ${EndIf}
        RMDir $3
        ${GetParent} $3 $3
      ${Loop}
    ${EndIf}
  ${Loop}
  FileClose $0
FunctionEnd

;; $2 = 1 when the list entry $1 is a plain relative path that cannot name anything outside $INSTDIR.
Function StaysInFolder
  StrCpy $2 0
  StrCpy $4 $1 1
  ${If} $1 == ""
  ${OrIf} $4 == "\"
  ${OrIf} $4 == "/"
    Return
  ${EndIf}
  StrLen $5 $1
  StrCpy $6 0
  ${DoWhile} $6 < $5
    StrCpy $4 $1 2 $6
    StrCpy $7 $1 1 $6
    ${If} $4 == ".."
    ${OrIf} $7 == ":"
      Return
    ${EndIf}
    IntOp $6 $6 + 1
  ${Loop}
  StrCpy $2 1
FunctionEnd

Function un.onInit
  SetRegView 64
  ; Installed for all users when HKLM's entry names this directory.
  ReadRegStr $0 HKLM "${UNINSTALL_KEY}" "InstallLocation"
  ${If} $0 == $INSTDIR
    StrCpy $AllUsers 1
    SetShellVarContext all
  ${Else}
    StrCpy $AllUsers 0
  ${EndIf}
FunctionEnd

Section "Uninstall"
  ; Exactly what the install wrote, nothing else.
  ${If} $AllUsers == 1
    !insertmacro NHI_DELETE_REGISTRY_SYSTEM
  ${Else}
    !insertmacro NHI_DELETE_REGISTRY_USER
  ${EndIf}
  ReadRegStr $1 SHCTX "${UNINSTALL_KEY}" "CreatedParentFolder"
  DeleteRegKey SHCTX "${UNINSTALL_KEY}"
  Delete "$SMPROGRAMS\${PRODUCT_NAME}\${SHORTCUT_NAME}.lnk"
  RMDir "$SMPROGRAMS\${PRODUCT_NAME}"
  !insertmacro NHI_UNINSTALL_FILES
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  ${If} $1 != ""
    RMDir "$1"
  ${EndIf}
SectionEnd
